// The live lesson's control socket (`ws/live/<session>/`): JSON both ways.
import { useCallback, useEffect, useRef } from "react";

const RETRY_MS = 2000;

export function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

/** Opens the socket, hands every message to `onMessage` and returns `send`.
 * A dropped socket is opened again (the server answers with the state); one
 * the server closed on purpose (codes 4000 and up: ended, forbidden) is not. */
export function useLiveSocket(path, onMessage) {
  const socket = useRef(null);
  const handler = useRef(onMessage);
  handler.current = onMessage;

  useEffect(() => {
    let closed = false;
    let retry = null;
    const connect = () => {
      const ws = new WebSocket(socketUrl(path));
      socket.current = ws;
      ws.onmessage = (event) => handler.current(JSON.parse(event.data));
      ws.onclose = (event) => {
        if (!closed && event.code < 4000) retry = setTimeout(connect, RETRY_MS);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      socket.current?.close();
    };
  }, [path]);

  return useCallback((message) => {
    const ws = socket.current;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }, []);
}
