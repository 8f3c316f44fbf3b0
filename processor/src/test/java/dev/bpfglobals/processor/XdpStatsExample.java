package dev.bpfglobals.processor;

/** The record from the issue and the README, as test source. */
final class XdpStatsExample {

    static final String NAME = "com.example.xdp.XdpStats";

    static final String SOURCE = """
            package com.example.xdp;

            import dev.bpfglobals.annotations.*;

            public record XdpStats(
                @PerCpu @Unsigned long packets,
                @PerCpu @Unsigned long bytes,
                @PerCpu @Unsigned @Length(8) long[] sizeBuckets,
                @PerCpu @Unsigned int limit) {}
            """;

    private XdpStatsExample() {
    }
}
