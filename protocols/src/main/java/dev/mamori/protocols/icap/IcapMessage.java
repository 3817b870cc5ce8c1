package dev.mamori.protocols.icap;

import io.netty.buffer.ByteBuf;

/** What the decoder emits: a request head, its body chunks and end, or a refusal. */
public sealed interface IcapMessage permits IcapRequest, IcapMessage.BodyChunk, IcapMessage.BodyEnd, IcapMessage.Bad {

    /** Chunk data as it arrives (a retained slice: the receiver releases it). */
    record BodyChunk(ByteBuf data) implements IcapMessage {}

    /**
     * The zero-size chunk: end of the preview ({@code preview} true; more follows after 100 Continue
     * unless {@code ieof}) or end of the body.
     */
    record BodyEnd(boolean preview, boolean ieof) implements IcapMessage {}

    /** The request cannot be served; the connection is answered with {@code status} and closed. */
    record Bad(int status, String reason) implements IcapMessage {}
}
