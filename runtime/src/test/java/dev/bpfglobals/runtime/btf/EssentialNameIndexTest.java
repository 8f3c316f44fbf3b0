package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelBtf#candidates} answers from an index of hashes taken from the string section's bytes
 * ({@link EssentialNameIndex}): it must list exactly the ids a scan of every type by its decoded
 * essential name lists, for the running kernel's BTF read lazily (from its headers) and the same
 * BTF read from a file (every type parsed).
 */
class EssentialNameIndexTest {

    @TempDir
    Path dir;

    @Test
    void theIndexListsWhatAScanOfEveryTypeLists() throws Exception {
        KernelBtf lazy = KernelBtf.read(KernelBtf.VMLINUX);
        Path copy = Files.write(dir.resolve("vmlinux"), Files.readAllBytes(KernelBtf.VMLINUX));
        KernelBtf parsed = KernelBtf.read(copy);
        Btf btf = parsed.btf();
        Set<String> names = new LinkedHashSet<>(List.of("task_struct", "sk_buff", "pt_regs", "list_head", "int"));
        for (int id = 1; id < btf.size(); id += 997) {
            if (!btf.type(id).name().isEmpty()) {
                names.add(KernelBtf.essentialName(btf.type(id).name()));
            }
        }

        for (String name : names) {
            int[] expected = scan(btf, name);
            assertThat(lazy.candidates(name)).as(name).containsExactly(expected);
            assertThat(parsed.candidates(name)).as(name).containsExactly(expected);
        }
        assertThat(lazy.candidates("task_struct")).isNotEmpty();
        assertThat(lazy.candidates("no_such_type_anywhere")).isEmpty();
        assertThat(lazy.candidates("")).isEmpty();
    }

    @Test
    void aFlavouredNameIsHashedAsItsEssentialName() {
        for (String name : List.of("task_struct___old", "a___b___c", "___x", "a____b", "x___", "plain", "héllo___v2")) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);

            assertThat(EssentialNameIndex.essentialHash(ByteBuffer.wrap(bytes), 0, bytes.length)).as(name)
                    .isEqualTo(EssentialNameIndex.hash(KernelBtf.essentialName(name)));
        }
    }

    /** The ids whose essential name is {@code name}, of the kinds a relocation's root may have. */
    private static int[] scan(Btf btf, String name) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 1; id < btf.size(); id++) {
            BtfType type = btf.type(id);
            BtfKind kind = type.kind();
            if (kind == BtfKind.FUNC || kind == BtfKind.VAR || kind == BtfKind.DATASEC || kind == BtfKind.DECL_TAG) {
                continue;
            }
            if (!type.name().isEmpty() && KernelBtf.essentialName(type.name()).equals(name)) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
