package org.kernelrig.serial;

import java.io.ByteArrayOutputStream;

/**
 * The telnet layer of a serial server's stream (RFC 854, as ser2net speaks
 * it in {@code telnet} or {@code telnet(rfc2217)} mode): takes out the IAC
 * commands, option negotiations and subnegotiations, so only the board's bytes
 * remain, and prepares the answers the server expects. Binary transmission
 * and suppress-go-ahead are accepted; every other option, RFC 2217 COM-PORT
 * control included, is refused: the line's speed is the server's business.
 * Without binary mode, the NUL a telnet sender puts after a bare CR is
 * dropped. Pure: state carries across calls.
 */
public final class TelnetFilter {

    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int SE = 240;
    static final int BINARY = 0;
    static final int SUPPRESS_GO_AHEAD = 3;

    private enum State { DATA, COMMAND, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

    private final boolean[] serverDoes = new boolean[256];
    private final boolean[] weDo = new boolean[256];
    private State state = State.DATA;
    private int command;
    private boolean lastWasCarriageReturn;

    /**
     * Filters {@code length} bytes of {@code input} in place.
     *
     * @param replies receives the negotiation answers to send back to the server
     * @return how many data bytes are now at the start of {@code input}
     */
    public int filter(byte[] input, int length, ByteArrayOutputStream replies) {
        int out = 0;
        for (int i = 0; i < length; i++) {
            int b = input[i] & 0xff;
            switch (state) {
                case DATA -> {
                    if (b == IAC) {
                        state = State.COMMAND;
                    } else if (b == 0 && lastWasCarriageReturn && !serverDoes[BINARY]) {
                        lastWasCarriageReturn = false;
                    } else {
                        input[out++] = (byte) b;
                        lastWasCarriageReturn = b == '\r';
                    }
                }
                case COMMAND -> {
                    if (b == IAC) {
                        input[out++] = (byte) IAC;
                        lastWasCarriageReturn = false;
                        state = State.DATA;
                    } else if (b >= WILL && b <= DONT) {
                        command = b;
                        state = State.OPTION;
                    } else if (b == SB) {
                        state = State.SUBNEGOTIATION;
                    } else {
                        state = State.DATA;
                    }
                }
                case OPTION -> {
                    negotiate(command, b, replies);
                    state = State.DATA;
                }
                case SUBNEGOTIATION -> {
                    if (b == IAC) {
                        state = State.SUBNEGOTIATION_IAC;
                    }
                }
                case SUBNEGOTIATION_IAC -> state = b == SE ? State.DATA : State.SUBNEGOTIATION;
            }
        }
        return out;
    }

    private void negotiate(int command, int option, ByteArrayOutputStream replies) {
        boolean wanted = option == BINARY || option == SUPPRESS_GO_AHEAD;
        switch (command) {
            case WILL -> {
                if (wanted && !serverDoes[option]) {
                    serverDoes[option] = true;
                    reply(replies, DO, option);
                } else if (!wanted) {
                    reply(replies, DONT, option);
                }
            }
            case WONT -> {
                if (serverDoes[option]) {
                    serverDoes[option] = false;
                    reply(replies, DONT, option);
                }
            }
            case DO -> {
                if (wanted && !weDo[option]) {
                    weDo[option] = true;
                    reply(replies, WILL, option);
                } else if (!wanted) {
                    reply(replies, WONT, option);
                }
            }
            default -> {
                if (weDo[option]) {
                    weDo[option] = false;
                    reply(replies, WONT, option);
                }
            }
        }
    }

    private static void reply(ByteArrayOutputStream replies, int command, int option) {
        replies.write(IAC);
        replies.write(command);
        replies.write(option);
    }
}
