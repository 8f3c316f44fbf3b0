package dev.bpfglobals.runtime.btf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.kernel.BpfFd;
import dev.bpfglobals.runtime.testing.BpfObjects;
import dev.bpfglobals.runtime.testing.RequiresBpf;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Rewriting BTF kinds an older kernel lacks, checked on clang's output and by the real kernel's BTF loader. */
class BtfSanitizerTest {

    private static final Set<BtfKind> NEWER_KINDS = EnumSet.of(BtfKind.FUNC, BtfKind.FUNC_PROTO, BtfKind.VAR,
            BtfKind.DATASEC, BtfKind.FLOAT, BtfKind.DECL_TAG, BtfKind.TYPE_TAG, BtfKind.ENUM64);

    @Test
    void withoutAnyNewerKindNoneIsLeftAndEveryIdKeepsItsPlace() throws Exception {
        Btf btf = everyKind();

        Btf sanitized = BtfSanitizer.sanitize(btf, BtfSupport.NONE);

        assertThat(btf.types()).extracting(BtfType::kind).containsAll(NEWER_KINDS);
        assertThat(sanitized.types()).extracting(BtfType::kind).doesNotContainAnyElementsOf(NEWER_KINDS);
        assertThat(sanitized.size()).isEqualTo(btf.size());
        int data = btf.datasecId(".data").orElseThrow();
        assertThat(sanitized.type(data)).isEqualTo(new BtfType.Struct("_data", 8, List.of(
                new BtfType.Member("scale", ((BtfType.Datasec) btf.type(data)).entries().get(0).type(), 0, 0),
                new BtfType.Member("tagged", ((BtfType.Datasec) btf.type(data)).entries().get(1).type(), 32, 0))));
        int twice = btf.find(BtfKind.FUNC, "twice").orElseThrow();
        assertThat(sanitized.type(twice)).isInstanceOf(BtfType.Typedef.class).extracting(BtfType::name).isEqualTo("twice");
    }

    @Test
    void onlyWhatIsMissingIsRewritten() throws Exception {
        Btf btf = everyKind();
        BtfSupport noGlobalFunctions = new BtfSupport(true, false, true, true, true, true, true);

        Btf sanitized = BtfSanitizer.sanitize(btf, noGlobalFunctions);

        int twice = btf.find(BtfKind.FUNC, "twice").orElseThrow();
        assertThat(sanitized.type(twice)).isEqualTo(new BtfType.Func("twice", ((BtfType.Func) btf.type(twice)).type(),
                BtfType.Linkage.STATIC));
        for (int id = 1; id < btf.size(); id++) {
            if (!(btf.type(id) instanceof BtfType.Func)) {
                assertThat(sanitized.type(id)).isEqualTo(btf.type(id));
            }
        }
        assertThat(BtfSanitizer.sanitize(btf, BtfSupport.ALL)).isSameAs(btf);
    }

    @Test
    @RequiresBpf
    void theKernelLoadsTheFullySanitisedBtf() throws Exception {
        Btf sanitized = BtfSanitizer.sanitize(everyKind(), BtfSupport.NONE);
        byte[] bytes = BtfWriter.write(sanitized, ByteOrder.nativeOrder());

        try (BpfFd fd = BtfObjects.load(bytes)) {
            List<String> held = bpftoolTypes(kernelBtfId(fd));

            List<String> written = new ArrayList<>();
            for (int id = 1; id < sanitized.size(); id++) {
                BtfType type = sanitized.type(id);
                written.add("[" + id + "] " + type.kind() + " '" + (type.name().isEmpty() ? "(anon)" : type.name()) + "'");
            }
            assertThat(held).as("the kinds and names of the BTF the kernel holds, as bpftool dumps it by id")
                    .containsExactlyElementsOf(written);
            assertThat(String.join("\n", held)).as("the BTF the kernel holds")
                    .doesNotContain(NEWER_KINDS.stream().map(kind -> "] " + kind + " '").toArray(String[]::new));
        }
    }

    /** The id the kernel gave the BTF object behind {@code fd}, from its own {@code /proc/self/fdinfo}. */
    private static int kernelBtfId(BpfFd fd) throws IOException {
        String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + fd.value()));
        Matcher id = Pattern.compile("(?m)^btf_id:\\s+(\\d+)$").matcher(fdinfo);
        assertThat(id.find()).as("btf_id in the fdinfo of a BTF fd: %s", fdinfo).isTrue();
        return Integer.parseInt(id.group(1));
    }

    /** {@code [id] KIND 'name'} of every type of kernel BTF object {@code id}, as bpftool dumps it. */
    private static List<String> bpftoolTypes(int id) throws IOException, InterruptedException {
        Process bpftool = new ProcessBuilder("bpftool", "btf", "dump", "id", Integer.toString(id)).redirectErrorStream(true).start();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bpftool.waitFor()).as("bpftool btf dump id %d: %s", id, out).isZero();
        Pattern type = Pattern.compile("(\\[\\d+] \\w+ '[^']*').*");
        return out.lines().map(type::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    }

    @Test
    @RequiresBpf
    void thisKernelKnowsEveryKind() {
        // Kernel 6.18 on the CI machines: ENUM64, the newest kind here, arrived in 6.0.
        assertThat(BtfSupport.probe()).isEqualTo(BtfSupport.ALL);
        assertThat(BtfSupport.btfLoads(new byte[] {1, 2, 3}))
                .as("a blob the kernel refuses reads as a missing kind").isFalse();
    }

    /** clang's BTF for btf_kinds.bpf.c (FUNC, VAR, DATASEC, FLOAT, DECL_TAG) plus the TYPE_TAG and ENUM64 clang 14 does not emit. */
    private static Btf everyKind() throws Exception {
        Btf object = dev.bpfglobals.runtime.ObjectInternals.btf(ObjectSpec.open(BpfObjects.compile("btf_kinds")));
        BtfBuilder builder = new BtfBuilder(object);
        int tagged = builder.add(new BtfType.TypeTag("user", object.find(BtfKind.INT, "int").orElseThrow()));
        builder.add(new BtfType.Ptr(tagged));
        builder.add(new BtfType.Enum64("wide", 8, false, List.of(new BtfType.Enum64Value("BIG", 1L << 40))));
        return builder.build();
    }
}
