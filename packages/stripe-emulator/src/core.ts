/** What the customer and deferred-payment modules need of the Engine, named here so that they do not import it. */
import type { RequestContext } from "./context";
import type { Obj } from "./objects";
import type { StateStore } from "./state";

export interface EngineCore {
  store: StateStore;
  nowSeconds(): number;
  emit(type: string, object: Obj, ctx: RequestContext, previousAttributes?: Obj): Obj;
  /** Absolute URL of one of the emulator's pages, e.g. hostedUrl("/vouchers/pi_…"). */
  hostedUrl(path: string): string;
}
