// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title Village token: a whole-unit security token allocated exactly once per order.
/// @notice Ordinary transfers only between allowlisted, unfrozen wallets (in the spirit of
/// ERC-3643). The issuer allocates per order sequence number and never twice for one number;
/// compliance can freeze wallets and force transfers; enforcement (forced transfer, clawback)
/// and redemption keep working while the token is paused.
contract VillageToken is ERC20, AccessControl, Pausable {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    // One slot per wallet: balance in the low 128 bits, compliance flags in the top bits. An
    // allocation then costs one SLOAD (flags + balance) and one non-zero to non-zero SSTORE, since
    // allowlisting already made the slot non-zero. OZ's own balance/supply storage stays unused.
    uint256 private constant ALLOWLISTED = 1 << 255;
    uint256 private constant FROZEN = 1 << 254;
    uint256 private constant FLAGS = ALLOWLISTED | FROZEN;
    uint256 private constant UNITS_MASK = type(uint128).max;
    /// @notice Cap on total supply; it bounds every balance, so balance additions cannot overflow.
    uint256 public constant MAX_SUPPLY = type(uint128).max;

    mapping(address => uint256) private _accounts;
    uint256 private _supply;
    /// @dev Bit (seq & 0xff) of word (seq >> 8) is set once order `seq` has been allocated.
    mapping(uint256 => uint256) private _allocatedBits;
    mapping(uint256 => uint256) private _clawedBackBits;
    /// @dev Same layout, keyed by redemption seq (one per holder and redemption of a bond).
    mapping(uint256 => uint256) private _redeemedBits;

    event Allocated(uint256 indexed orderSeq, address indexed to, uint256 units);
    event ClawedBack(uint256 indexed orderSeq, address indexed from, uint256 units);
    event AllowlistSet(address indexed wallet, bool allowed);
    event FrozenSet(address indexed wallet, bool frozen);
    event ForcedTransfer(address indexed from, address indexed to, uint256 units);
    event Redeemed(uint256 indexed redemptionSeq, address indexed from, uint256 units);

    error AlreadyAllocated(uint256 orderSeq);
    error NotAllocated(uint256 orderSeq);
    error AlreadyClawedBack(uint256 orderSeq);
    error AlreadyRedeemed(uint256 redemptionSeq);
    error ZeroUnits(uint256 orderSeq);
    error WalletNotAllowlisted(address wallet);
    error WalletFrozen(address wallet);
    error ZeroAddress();
    error LengthMismatch();
    error SupplyCapExceeded(uint256 supply);

    constructor(string memory name_, string memory symbol_, address admin) ERC20(name_, symbol_) {
        if (admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ISSUER_ROLE, admin);
        _grantRole(COMPLIANCE_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    // ---------------------------------------------------------------- ERC-20 views

    function decimals() public pure override returns (uint8) {
        return 0;
    }

    function totalSupply() public view override returns (uint256) {
        return _supply;
    }

    function balanceOf(address account) public view override returns (uint256) {
        return _accounts[account] & UNITS_MASK;
    }

    function isAllowlisted(address wallet) external view returns (bool) {
        return _accounts[wallet] & ALLOWLISTED != 0;
    }

    function isFrozen(address wallet) external view returns (bool) {
        return _accounts[wallet] & FROZEN != 0;
    }

    function isAllocated(uint256 orderSeq) external view returns (bool) {
        return _isSet(_allocatedBits, orderSeq);
    }

    function isClawedBack(uint256 orderSeq) external view returns (bool) {
        return _isSet(_clawedBackBits, orderSeq);
    }

    function isRedeemed(uint256 redemptionSeq) external view returns (bool) {
        return _isSet(_redeemedBits, redemptionSeq);
    }

    // ---------------------------------------------------------------- issuance

    function allocate(uint256 orderSeq, address to, uint256 units) external onlyRole(ISSUER_ROLE) whenNotPaused {
        if (units == 0) revert ZeroUnits(orderSeq);
        if (!_markOnce(_allocatedBits, orderSeq)) revert AlreadyAllocated(orderSeq);
        _requireEligible(to, _accounts[to]);
        _write(address(0), to, units);
        emit Allocated(orderSeq, to, units);
    }

    /// @notice Allocates many orders in one transaction; any refused item reverts the whole batch.
    function allocateBatch(
        uint256[] calldata orderSeqs,
        address[] calldata tos,
        uint256[] calldata units
    ) external onlyRole(ISSUER_ROLE) whenNotPaused {
        uint256 n = orderSeqs.length;
        if (tos.length != n || units.length != n) revert LengthMismatch();
        // The bitmap word in use is kept on the stack and written back when the batch moves to
        // another word (seqs of a batch are usually consecutive: one SSTORE per 256 orders).
        uint256 wordIndex = type(uint256).max; // no real index (seq >> 8) can equal this
        uint256 word;
        uint256 total;
        for (uint256 i; i < n; ) {
            uint256 seq = orderSeqs[i];
            uint256 index = seq >> 8;
            if (index != wordIndex) {
                if (wordIndex != type(uint256).max) _allocatedBits[wordIndex] = word;
                wordIndex = index;
                word = _allocatedBits[index];
            }
            uint256 bit = 1 << (seq & 0xff);
            if (word & bit != 0) revert AlreadyAllocated(seq);
            word |= bit;

            address to = tos[i];
            uint256 amount = units[i];
            if (amount == 0) revert ZeroUnits(seq);
            uint256 account = _accounts[to];
            if (account & FLAGS != ALLOWLISTED) _requireEligible(to, account);
            total += amount; // checked: a wrapped sum could slip under the cap below
            unchecked {
                // Wraps only if the sum exceeds MAX_SUPPLY, and then the cap check reverts it all.
                _accounts[to] = account + amount;
                ++i;
            }
            emit Transfer(address(0), to, amount);
            emit Allocated(seq, to, amount);
        }
        if (wordIndex != type(uint256).max) _allocatedBits[wordIndex] = word;
        uint256 supply = _supply + total;
        if (supply > MAX_SUPPLY) revert SupplyCapExceeded(supply);
        _supply = supply;
    }

    /// @notice Burns the units of a refunded order, once per order; works on frozen holders.
    function clawback(uint256 orderSeq, address from, uint256 units) external onlyRole(ISSUER_ROLE) {
        if (units == 0) revert ZeroUnits(orderSeq);
        if (from == address(0)) revert ZeroAddress(); // _write would read it as a mint
        if (!_isSet(_allocatedBits, orderSeq)) revert NotAllocated(orderSeq);
        if (!_markOnce(_clawedBackBits, orderSeq)) revert AlreadyClawedBack(orderSeq);
        _write(from, address(0), units);
        emit ClawedBack(orderSeq, from, units);
    }

    // ---------------------------------------------------------------- redemption

    /// @notice Burns a holder's units when the bond is redeemed, once per redemption seq; works
    /// while paused and on frozen holders (the issuer repays them off chain).
    function redeem(uint256 redemptionSeq, address from, uint256 units) external onlyRole(ISSUER_ROLE) {
        if (units == 0) revert ZeroUnits(redemptionSeq);
        if (from == address(0)) revert ZeroAddress(); // _write would read it as a mint
        if (!_markOnce(_redeemedBits, redemptionSeq)) revert AlreadyRedeemed(redemptionSeq);
        _write(from, address(0), units);
        emit Redeemed(redemptionSeq, from, units);
    }

    /// @notice Redeems many holders in one transaction; any refused item reverts the whole batch.
    function redeemBatch(
        uint256[] calldata redemptionSeqs,
        address[] calldata froms,
        uint256[] calldata units
    ) external onlyRole(ISSUER_ROLE) {
        uint256 n = redemptionSeqs.length;
        if (froms.length != n || units.length != n) revert LengthMismatch();
        uint256 total;
        for (uint256 i; i < n; ) {
            uint256 seq = redemptionSeqs[i];
            address from = froms[i];
            uint256 amount = units[i];
            if (amount == 0) revert ZeroUnits(seq);
            if (from == address(0)) revert ZeroAddress();
            if (!_markOnce(_redeemedBits, seq)) revert AlreadyRedeemed(seq);
            uint256 account = _accounts[from];
            uint256 balance = account & UNITS_MASK;
            if (balance < amount) revert ERC20InsufficientBalance(from, balance, amount);
            unchecked {
                // Each burn is at most the holder's balance, so neither the account nor the total can wrap.
                _accounts[from] = account - amount;
                total += amount;
                ++i;
            }
            emit Transfer(from, address(0), amount);
            emit Redeemed(seq, from, amount);
        }
        // The total burned is at most the sum of the balances, which is at most _supply.
        unchecked {
            _supply -= total;
        }
    }

    // ---------------------------------------------------------------- compliance

    function setAllowlisted(address wallet, bool allowed) external onlyRole(COMPLIANCE_ROLE) {
        _setFlag(wallet, ALLOWLISTED, allowed);
        emit AllowlistSet(wallet, allowed);
    }

    function setAllowlistedBatch(address[] calldata wallets, bool allowed) external onlyRole(COMPLIANCE_ROLE) {
        uint256 n = wallets.length;
        for (uint256 i; i < n; ) {
            address wallet = wallets[i];
            _setFlag(wallet, ALLOWLISTED, allowed);
            emit AllowlistSet(wallet, allowed);
            unchecked {
                ++i;
            }
        }
    }

    function setFrozen(address wallet, bool frozen) external onlyRole(COMPLIANCE_ROLE) {
        _setFlag(wallet, FROZEN, frozen);
        emit FrozenSet(wallet, frozen);
    }

    /// @notice Moves units regardless of the sender's freeze or allowlist status (lost-wallet
    /// recovery, clawback to the issuer). `to` must be an eligible wallet or hold ISSUER_ROLE.
    function forcedTransfer(address from, address to, uint256 units) external onlyRole(COMPLIANCE_ROLE) {
        if (from == address(0) || to == address(0)) revert ZeroAddress();
        if (!hasRole(ISSUER_ROLE, to)) _requireEligible(to, _accounts[to]);
        _write(from, to, units);
        emit ForcedTransfer(from, to, units);
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ---------------------------------------------------------------- internals

    /// @dev Reached by transfer and transferFrom only (issuance, clawback and redemption use _write directly).
    function _update(address from, address to, uint256 value) internal override {
        _requireNotPaused();
        _requireEligible(from, _accounts[from]);
        _requireEligible(to, _accounts[to]);
        _write(from, to, value);
    }

    /// @dev The one place balances and supply change; address(0) as `from` mints, as `to` burns.
    function _write(address from, address to, uint256 value) private {
        if (from == address(0)) {
            uint256 supply = _supply + value;
            if (supply > MAX_SUPPLY) revert SupplyCapExceeded(supply);
            _supply = supply;
        } else {
            uint256 account = _accounts[from];
            uint256 balance = account & UNITS_MASK;
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
            unchecked {
                _accounts[from] = account - value;
            }
        }
        unchecked {
            // Every balance is at most _supply <= MAX_SUPPLY, so neither line can wrap.
            if (to == address(0)) _supply -= value;
            else _accounts[to] += value;
        }
        emit Transfer(from, to, value);
    }

    function _requireEligible(address wallet, uint256 account) private pure {
        if (account & ALLOWLISTED == 0) revert WalletNotAllowlisted(wallet);
        if (account & FROZEN != 0) revert WalletFrozen(wallet);
    }

    function _setFlag(address wallet, uint256 flag, bool on) private {
        if (wallet == address(0)) revert ZeroAddress();
        uint256 account = _accounts[wallet];
        _accounts[wallet] = on ? account | flag : account & ~flag;
    }

    function _isSet(mapping(uint256 => uint256) storage bits, uint256 orderSeq) private view returns (bool) {
        return bits[orderSeq >> 8] & (1 << (orderSeq & 0xff)) != 0;
    }

    /// @dev Sets the bit of `orderSeq`; false if it was already set.
    function _markOnce(mapping(uint256 => uint256) storage bits, uint256 orderSeq) private returns (bool) {
        uint256 bit = 1 << (orderSeq & 0xff);
        uint256 word = bits[orderSeq >> 8];
        if (word & bit != 0) return false;
        bits[orderSeq >> 8] = word | bit;
        return true;
    }
}
