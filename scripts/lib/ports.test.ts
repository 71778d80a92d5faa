import net, { type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { isPortFree, portTakenMessage } from "./ports";

describe("npm run dev's port", () => {
  it("sees a taken port as taken, and free again once released", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    expect(await isPortFree(port)).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await isPortFree(port)).toBe(true);
  });

  it("tells a newcomer whose port 3000 is taken how to start on another one", () => {
    expect(portTakenMessage(3000)).toMatch(/port 3000 is already in use.*PORT=3001 npm run dev$/);
  });
});
