// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

interface IVillageTokenIssuance {
    function allocate(uint256 orderSeq, address to, uint256 units) external;
    function isAllocated(uint256 orderSeq) external view returns (bool);
}

interface IERC3009Receive {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
}

/// @title Delivery versus payment: a buyer's stablecoin moves to the issuer and the order's
/// tokens are allocated in one transaction, or neither happens.
/// @notice The portal's operator submits the buyer's signed authorisation (so the buyer pays no
/// gas); this contract needs the token's ISSUER_ROLE. An order already allocated is refused
/// before any money moves, so one order is never paid twice here.
contract VillageSettlement is AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    struct Delivery {
        address token;
        uint256 orderSeq;
        address to;
        uint256 units;
    }

    struct Payment {
        address stablecoin;
        address from;
        uint256 amount;
        address payee;
    }

    struct Signature {
        uint256 validAfter;
        uint256 validBefore;
        bytes32 nonce;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    event Settled(
        uint256 indexed orderSeq,
        address indexed token,
        address indexed payer,
        address to,
        uint256 units,
        address stablecoin,
        uint256 amount,
        address payee
    );

    error AlreadySettled(uint256 orderSeq);
    error ZeroAmount(uint256 orderSeq);
    error PayerIsPayee(uint256 orderSeq);

    constructor(address admin) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
    }

    /// @notice Pays with an EIP-3009 ReceiveWithAuthorization signed by `payment.from` to this contract.
    function settleWithAuthorization(Delivery calldata delivery, Payment calldata payment, Signature calldata auth) external onlyRole(OPERATOR_ROLE) {
        _checkOpen(delivery, payment);
        IERC3009Receive(payment.stablecoin).receiveWithAuthorization(
            payment.from, address(this), payment.amount, auth.validAfter, auth.validBefore, auth.nonce, auth.v, auth.r, auth.s
        );
        IERC20(payment.stablecoin).safeTransfer(payment.payee, payment.amount);
        _deliver(delivery, payment);
    }

    /// @notice Pays with an EIP-2612 permit to this contract (`auth.validBefore` is the permit's deadline).
    function settleWithPermit(Delivery calldata delivery, Payment calldata payment, Signature calldata auth) external onlyRole(OPERATOR_ROLE) {
        _checkOpen(delivery, payment);
        // A permit someone else already submitted leaves the allowance in place: carry on with it.
        try IERC20Permit(payment.stablecoin).permit(payment.from, address(this), payment.amount, auth.validBefore, auth.v, auth.r, auth.s) {} catch {}
        IERC20(payment.stablecoin).safeTransferFrom(payment.from, payment.payee, payment.amount);
        _deliver(delivery, payment);
    }

    function _checkOpen(Delivery calldata delivery, Payment calldata payment) private view {
        if (payment.amount == 0) revert ZeroAmount(delivery.orderSeq);
        // The payee paying itself would move no money and still deliver the tokens.
        if (payment.from == payment.payee) revert PayerIsPayee(delivery.orderSeq);
        if (IVillageTokenIssuance(delivery.token).isAllocated(delivery.orderSeq)) revert AlreadySettled(delivery.orderSeq);
    }

    function _deliver(Delivery calldata delivery, Payment calldata payment) private {
        IVillageTokenIssuance(delivery.token).allocate(delivery.orderSeq, delivery.to, delivery.units);
        emit Settled(delivery.orderSeq, delivery.token, payment.from, delivery.to, delivery.units, payment.stablecoin, payment.amount, payment.payee);
    }
}
