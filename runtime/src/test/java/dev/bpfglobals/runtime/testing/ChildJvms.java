package dev.bpfglobals.runtime.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands for the JVMs and JDK tools a test starts, so that each runs as the test's own JVM does.
 *
 * <p>Inside the kernel VMs (qemu's TCG emulation) the test JVMs run with C1 only and no CDS archive,
 * because compiled code crashed there now and then. A child started without those options crashed
 * the same way (keytool in SHA-2, a workload JVM in {@code JvmProbesCliTest}), so every child gets them.
 */
public final class ChildJvms {

    private ChildJvms() {
    }

    /**
     * {@code java}, this JVM's {@code -XX:} and {@code -Xshare} options, native access and this JVM's
     * class path: the caller appends further options, the main class and its arguments.
     *
     * @return a new, modifiable command
     */
    public static List<String> java() {
        List<String> command = new ArrayList<>(List.of(jdkTool("java")));
        command.addAll(vmOptions());
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        return command;
    }

    /**
     * A JDK tool such as {@code keytool} with this JVM's options passed on through {@code -J}.
     *
     * @param name the tool's name in {@code $JAVA_HOME/bin}
     * @return a new, modifiable command: the caller appends the tool's arguments
     */
    public static List<String> tool(String name) {
        List<String> command = new ArrayList<>(List.of(jdkTool(name)));
        vmOptions().forEach(option -> command.add("-J" + option));
        return command;
    }

    /** This JVM's own {@code -XX:} and {@code -Xshare} options, as it was started with them. */
    public static List<String> vmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> option.startsWith("-XX:") || option.startsWith("-Xshare")).toList();
    }

    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }
}
