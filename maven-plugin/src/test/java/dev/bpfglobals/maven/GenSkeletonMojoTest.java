package dev.bpfglobals.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.ToolProvider;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gen-skeleton goal on objects compile-bpf built: a compilable class per object, the object beside it. */
class GenSkeletonMojoTest {

    private static final String COUNTER_C = """
            #include <linux/bpf.h>
            #define SEC(name) __attribute__((section(name), used))
            struct hit { unsigned int cpu; unsigned long long count; };
            struct hit last_hit;
            const volatile unsigned int sample_rate = 1;
            SEC("xdp")
            int count_hits(struct xdp_md *ctx)
            {
            	last_hit.count += sample_rate;
            	return XDP_PASS;
            }
            char LICENSE[] SEC("license") = "GPL";
            """;

    @TempDir
    Path dir;

    private GenSkeletonMojo mojo(TestProject project) {
        GenSkeletonMojo mojo = new GenSkeletonMojo();
        mojo.packageName = "demo.skel";
        mojo.objectDirectory = new File(project.classes.toFile(), "bpf");
        mojo.sourceDirectory = dir.resolve("target/generated-sources/bpf-skeletons").toFile();
        mojo.resourceDirectory = project.classes.toFile();
        mojo.compileSourceRoots = new ArrayList<>(List.of(dir.resolve("src/main/java").toString()));
        return mojo;
    }

    @Test
    void eachObjectTheBuildMadeGetsACompilingSkeletonWithItsObjectBeside() throws Exception {
        TestProject project = new TestProject(dir).bpf("counter", COUNTER_C);
        project.mojo("compat").execute();
        GenSkeletonMojo mojo = mojo(project);

        mojo.execute();

        Path source = dir.resolve("target/generated-sources/bpf-skeletons/demo/skel/Counter.java");
        assertThat(source).exists();
        assertThat(project.classes.resolve("demo/skel/Counter.bpf.o")).hasSameBinaryContentAs(project.object("counter.bpf.o"));
        assertThat(mojo.compileSourceRoots).contains(mojo.sourceDirectory.getPath());
        assertThat(Files.readString(source)).contains("public record Hit(int cpu, long count)", "public int sampleRate()");
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.resolve("out").toString(),
                "-classpath", System.getProperty("java.class.path"), source.toString());
        assertThat(javac).as("javac on the generated skeleton").isZero();
    }

    @Test
    void lightMakesTheSkeletonLoadThroughTheLightLoader() throws Exception {
        TestProject project = new TestProject(dir).bpf("counter", COUNTER_C);
        project.mojo("compat").execute();
        GenSkeletonMojo plain = mojo(project);
        plain.execute();
        Path source = dir.resolve("target/generated-sources/bpf-skeletons/demo/skel/Counter.java");
        assertThat(Files.readString(source)).doesNotContain("loadLight(");

        GenSkeletonMojo light = mojo(project);
        light.light = true;
        light.execute();

        assertThat(Files.readString(source)).contains("loadLight(");
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.resolve("out-light").toString(),
                "-classpath", System.getProperty("java.class.path"), source.toString());
        assertThat(javac).as("javac on the light skeleton").isZero();
    }

    @Test
    void anObjectJavaCannotMirrorFailsTheBuildInOneLine() throws Exception {
        TestProject project = new TestProject(dir).bpf("bits", COUNTER_C.replace("unsigned int cpu;", "__int128 cpu;"));
        project.mojo("compat").execute();

        assertThatThrownBy(() -> mojo(project).execute()).isInstanceOf(MojoFailureException.class)
                .hasMessage("bpf-globals: struct hit member 'cpu': __s128 is a 16-byte integer, which has no Java primitive");
    }
}
