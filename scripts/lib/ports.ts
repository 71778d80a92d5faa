import net from "node:net";

/** True when host:port can be bound now (binding it for a moment is the one reliable check). */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** What a newcomer whose port is taken reads, with the command that starts on another one. */
export function portTakenMessage(port: number): string {
  return `port ${port} is already in use (another npm run dev, or another app). Start on a free port instead: PORT=${port + 1} npm run dev`;
}

/** A free TCP port on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
