package dev.bpfglobals.runtime.internal.kernelenv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /proc/kallsyms} read as libbpf reads it for typeless ksyms. */
class KallsymsTest {

    @Test
    void onlyAskedForNamesAreKeptWithModuleSymbolsLlvmSuffixesAndEveryDistinctAddress(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("kallsyms"), """
                ffffffff814e61b0 T bpf_prog_put
                ffffffff814e4c90 T bpf_map_put
                ffffffffc0a01000 t twice\t[some_module]
                ffffffffc0b02000 t twice\t[other_module]
                ffffffffc0b02000 t once_in_two_lines\t[other_module]
                ffffffffc0b02000 t once_in_two_lines\t[other_module]
                ffffffff82000000 d counter.llvm.12345
                ffffffff82000100 t helper.llvm.999
                """);

        Kallsyms symbols = Kallsyms.read(file, Set.of("bpf_prog_put", "twice", "once_in_two_lines", "counter", "helper"));

        assertThat(symbols.addresses()).isEqualTo(Map.of(
                "bpf_prog_put", List.of(0xffffffff814e61b0L),
                "twice", List.of(0xffffffffc0a01000L, 0xffffffffc0b02000L),
                "once_in_two_lines", List.of(0xffffffffc0b02000L),
                "counter", List.of(0xffffffff82000000L)));
    }
}
