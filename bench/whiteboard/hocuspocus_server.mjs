// Hocuspocus with no extensions (documents in memory only), the benchmark's peer.
//   node bench/whiteboard/hocuspocus_server.mjs <port>
import { Server } from "@hocuspocus/server";

const port = Number(process.argv[2] || 1236);
const server = new Server({ port, quiet: true, stopOnSignals: false });
// Server.listen() hands `address` to http.listen, which reads `host`: it would
// listen on every interface. Listen on loopback ourselves.
server.httpServer.listen({ port, host: "127.0.0.1" }, () => {
  console.log(`hocuspocus listening on 127.0.0.1:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
