// A TCP proxy a test controls: cut() drops every connection and refuses new ones, silence() keeps them
// open but forwards nothing, restore() accepts and forwards new connections again.
import net from "node:net";

export interface TcpProxy {
  port: number;
  /** Every connection is closed, new ones are refused (the database is down). */
  cut(): void;
  /**
   * The network goes quiet: every open connection stays open but its bytes are lost for good, both
   * ways, and a close on one side is never passed on; new connections are accepted and never answered.
   */
  silence(): void;
  /** New connections are forwarded again (silenced ones stay silent: their bytes are lost). */
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream?: net.Socket;
  silent: boolean;
}

/** onClientBytes: sees what the clients send (a test counts what reached the server, and when). */
export async function startTcpProxy(target: { host: string; port: number }, onClientBytes?: (chunk: Buffer) => void): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const pairs = new Set<Pair>();
  let mode: "open" | "cut" | "silent" = "open";
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const blackhole = (pair: Pair) => {
    pair.silent = true;
    for (const socket of [pair.client, pair.upstream]) {
      socket?.unpipe();
      socket?.on("data", () => undefined).resume();
    }
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === "cut") return void client.destroy();
    const pair: Pair = { client, silent: false };
    pairs.add(pair);
    client.on("close", () => pairs.delete(pair));
    if (mode === "silent") return blackhole(pair);
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    track(upstream);
    if (onClientBytes) client.on("data", onClientBytes);
    client.pipe(upstream).pipe(client);
    client.on("close", () => pair.silent || upstream.destroy());
    upstream.on("close", () => pair.silent || client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      mode = "cut";
      for (const socket of sockets) socket.destroy();
    },
    silence() {
      mode = "silent";
      for (const pair of pairs) blackhole(pair);
    },
    restore() {
      mode = "open";
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A proxy in front of the database of `databaseUrl`, and the URL that goes through it. */
export async function proxyDatabase(databaseUrl: string, onClientBytes?: (chunk: Buffer) => void): Promise<{ proxy: TcpProxy; url: string }> {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) }, onClientBytes);
  url.host = `127.0.0.1:${proxy.port}`;
  return { proxy, url: url.toString() };
}
