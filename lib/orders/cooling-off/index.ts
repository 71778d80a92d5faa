import "server-only";

/** Cooling-off: the investor's cancellation within the period, and the release or refund that follows. */
export { cancelWithinCoolingOff, type CoolingOffRefusal } from "./cancel";
export { finishCoolingOffCancel, sweepCoolingOff } from "./refund";
