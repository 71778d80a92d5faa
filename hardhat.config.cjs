// Hardhat 2 is used only as the local dev chain (`hardhat node`); contracts are compiled with
// solc-js by scripts/compile-contracts.ts, so no solidity config (and no compiler download).
// HARDHAT_INITIAL_DATE (ISO) dates the genesis block, so a journal replay can keep past block times.
/** @type {import("hardhat/config").HardhatUserConfig} */
module.exports = {
  networks: {
    hardhat: {
      chainId: Number(process.env.HARDHAT_CHAIN_ID || 31337),
      mining: { auto: true },
      ...(process.env.HARDHAT_INITIAL_DATE ? { initialDate: process.env.HARDHAT_INITIAL_DATE } : {}),
    },
  },
};
