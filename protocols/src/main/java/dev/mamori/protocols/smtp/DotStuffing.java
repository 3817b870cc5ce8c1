package dev.mamori.protocols.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * RFC 5321 4.5.2 transparency for the next-hop leg: a dot opening a line is doubled, and the content
 * ends with CRLF so that the encoder's final ".CRLF" is a line of its own. A message with no line
 * opening with a dot (nearly all) is wrapped, not copied.
 */
final class DotStuffing {

    private static final byte[] CRLF = {'\r', '\n'};

    private DotStuffing() {}

    static ByteBuf stuff(byte[] message) {
        int dots = 0;
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                dots++;
            }
        }
        boolean endsLine = message.length == 0 || message[message.length - 1] == '\n';
        ByteBuf body;
        if (dots == 0) {
            body = Unpooled.wrappedBuffer(message);
        } else {
            body = Unpooled.buffer(message.length + dots + 2);
            int from = 0;
            for (int i = 0; i < message.length; i++) {
                if (message[i] == '.' && (i == 0 || message[i - 1] == '\n')) {
                    body.writeBytes(message, from, i - from).writeByte('.');
                    from = i;
                }
            }
            body.writeBytes(message, from, message.length - from);
        }
        return endsLine ? body : Unpooled.wrappedBuffer(body, Unpooled.wrappedBuffer(CRLF));
    }
}
