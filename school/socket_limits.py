"""What every JSON socket checks in a frame before it parses it: its size and
how many came before it. A frame over the cap closes the socket with 1009
(nothing legitimate is that big); frames faster than the bucket allows get a
`too_fast` error, or close the socket where the page never sends anything."""

from lib.token_bucket import TokenBucket

TOO_BIG = 1009
FLOODING = 4429


class InboundLimits:
    """Consumer mixin; put it before Channels' consumer class."""

    inbound_max_bytes = 4 * 1024
    inbound_rate_per_second = 2.0
    inbound_burst = 10
    _inbound_bucket: TokenBucket | None = None

    async def websocket_receive(self, message):
        text = message.get("text")
        size = len(text.encode("utf-8", "surrogatepass")) if text is not None else 0
        size = max(size, len(message.get("bytes") or b""))
        if size > self.inbound_max_bytes:
            await self.close(code=TOO_BIG)
            return
        if self._inbound_bucket is None:
            self._inbound_bucket = TokenBucket(
                self.inbound_rate_per_second, self.inbound_burst
            )
        if not self._inbound_bucket.take():
            await self.inbound_too_fast()
            return
        await super().websocket_receive(message)

    async def inbound_too_fast(self) -> None:
        """Read-only sockets: a page that floods is broken or hostile."""
        await self.close(code=FLOODING)
