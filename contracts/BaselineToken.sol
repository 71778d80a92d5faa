// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Plain OpenZeppelin ERC-20 with an owner-only mint: the gas baseline for VillageToken.
contract BaselineToken is ERC20, Ownable {
    constructor(string memory name_, string memory symbol_, address owner_) ERC20(name_, symbol_) Ownable(owner_) {}

    function decimals() public pure override returns (uint8) {
        return 0;
    }

    function mint(address to, uint256 units) external onlyOwner {
        _mint(to, units);
    }
}
