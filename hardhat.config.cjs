// Hardhat 2 is used only as the local dev chain (`hardhat node`); contracts are compiled with
// solc-js by scripts/compile-contracts.ts, so no solidity config (and no compiler download).
/** @type {import("hardhat/config").HardhatUserConfig} */
module.exports = {
  networks: {
    hardhat: {
      chainId: Number(process.env.HARDHAT_CHAIN_ID || 31337),
      mining: { auto: true },
    },
  },
};
