package dev.bpfglobals.runtime.attach;

/**
 * Where on a SOCKMAP or SOCKHASH a program attaches ({@code enum bpf_attach_type}), with the
 * section libbpf gives its programs.
 */
public enum SockmapHook {
    /** Splits a stream socket's bytes into messages ({@code sk_skb/stream_parser}, SK_SKB). */
    STREAM_PARSER(4),
    /** A verdict on each parsed message: pass, drop or redirect ({@code sk_skb/stream_verdict}, SK_SKB). */
    STREAM_VERDICT(5),
    /** A verdict on each sendmsg of a socket in the map ({@code sk_msg}, SK_MSG). */
    MSG_VERDICT(7),
    /** A verdict on each received skb, without a parser ({@code sk_skb/verdict}, SK_SKB). */
    SKB_VERDICT(38);

    private final int attachType;

    SockmapHook(int attachType) {
        this.attachType = attachType;
    }

    /** {@return the kernel's {@code enum bpf_attach_type} value} */
    public int attachType() {
        return attachType;
    }
}
