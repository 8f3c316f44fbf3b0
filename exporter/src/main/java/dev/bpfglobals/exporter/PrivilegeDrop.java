package dev.bpfglobals.exporter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Switches the running exporter, a root process, to an unprivileged user with no capabilities, once
 * its maps are open and its port bound: what it does from then on (read maps through the
 * descriptors it holds, answer HTTP) needs neither. The steps, in the order that works:
 * {@code no_new_privs}; every capability out of the bounding set; the ambient set cleared; the
 * user's groups ({@code initgroups}, or none for a numeric id); {@code setresgid}; {@code setresuid}.
 * The uid change empties every thread's permitted and effective sets (no {@code KEEPCAPS}), and
 * glibc makes each id change on every thread of the process, the JVM's own included. Afterwards
 * every thread's {@code /proc/self/task/TID/status} is read back: a thread still with uid 0 or a
 * capability fails the drop rather than leave a root thread behind.
 *
 * <p>The bounding set and {@code no_new_privs} are per thread: they hold for the calling thread and
 * every thread it starts later; threads that existed before have no capability and are never
 * {@code exec}'d.
 */
public final class PrivilegeDrop {

    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final Pattern NUMERIC = Pattern.compile("(\\d+)(?::(\\d+))?");

    /** {@code struct passwd} and {@code struct group} of glibc on 64-bit Linux, up to the ids. */
    private static final StructLayout PASSWD = MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("pw_name"),
            ValueLayout.ADDRESS.withName("pw_passwd"), ValueLayout.JAVA_INT.withName("pw_uid"), ValueLayout.JAVA_INT.withName("pw_gid"));
    private static final StructLayout GROUP = MemoryLayout.structLayout(ValueLayout.ADDRESS.withName("gr_name"),
            ValueLayout.ADDRESS.withName("gr_passwd"), ValueLayout.JAVA_INT.withName("gr_gid"));
    private static final VarHandle PW_UID = PASSWD.varHandle(MemoryLayout.PathElement.groupElement("pw_uid"));
    private static final VarHandle PW_GID = PASSWD.varHandle(MemoryLayout.PathElement.groupElement("pw_gid"));
    private static final VarHandle GR_GID = GROUP.varHandle(MemoryLayout.PathElement.groupElement("gr_gid"));

    private final String name;
    private final int uid;
    private final int gid;

    private PrivilegeDrop(String name, int uid, int gid) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
    }

    /**
     * The user {@code spec} names: {@code USER}, {@code USER:GROUP}, {@code UID} or {@code UID:GID}.
     *
     * @param spec the user as given
     * @return the user to switch to
     * @throws IllegalArgumentException one line, for a user or group the system does not know, or root
     */
    public static PrivilegeDrop resolve(String spec) {
        Matcher numeric = NUMERIC.matcher(spec);
        PrivilegeDrop user;
        if (numeric.matches()) {
            int uid = Integer.parseInt(numeric.group(1));
            user = new PrivilegeDrop(null, uid, numeric.group(2) == null ? uid : Integer.parseInt(numeric.group(2)));
        } else {
            int colon = spec.indexOf(':');
            String userName = colon < 0 ? spec : spec.substring(0, colon);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment passwd = (MemorySegment) Libc.GETPWNAM.invokeExact(arena.allocateFrom(userName));
                if (passwd.equals(MemorySegment.NULL)) {
                    throw new IllegalArgumentException("--user " + spec + ": no user '" + userName + "' on this system");
                }
                passwd = passwd.reinterpret(PASSWD.byteSize());
                int gid = (int) PW_GID.get(passwd, 0L);
                if (colon >= 0) {
                    String groupName = spec.substring(colon + 1);
                    MemorySegment group = (MemorySegment) Libc.GETGRNAM.invokeExact(arena.allocateFrom(groupName));
                    if (group.equals(MemorySegment.NULL)) {
                        throw new IllegalArgumentException("--user " + spec + ": no group '" + groupName + "' on this system");
                    }
                    gid = (int) GR_GID.get(group.reinterpret(GROUP.byteSize()), 0L);
                }
                user = new PrivilegeDrop(userName, (int) PW_UID.get(passwd, 0L), gid);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("getpwnam failed: " + e, e);
            }
        }
        if (user.uid == 0 || user.gid == 0) {
            throw new IllegalArgumentException("--user " + spec + " is root (uid or gid 0); give an unprivileged user, e.g. nobody");
        }
        return user;
    }

    /** The uid switched to. */
    public int uid() {
        return uid;
    }

    /** The gid switched to. */
    public int gid() {
        return gid;
    }

    /**
     * Switches the process to this user, with no capabilities, on every thread.
     *
     * @throws IllegalStateException one line naming the step that failed and its errno (say EPERM
     *                               when not started as root), or a thread found still privileged
     */
    public void apply() {
        openClassPath();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(Libc.CALL_STATE);
            check("prctl(PR_SET_NO_NEW_PRIVS)", (int) Libc.PRCTL.invokeExact(errno, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L), errno);
            int last = lastCapability();
            for (int cap = 0; cap <= last; cap++) {
                check("prctl(PR_CAPBSET_DROP, " + cap + ")", (int) Libc.PRCTL.invokeExact(errno, PR_CAPBSET_DROP, (long) cap, 0L, 0L, 0L), errno);
            }
            check("prctl(PR_CAP_AMBIENT_CLEAR_ALL)",
                    (int) Libc.PRCTL.invokeExact(errno, PR_CAP_AMBIENT, (long) PR_CAP_AMBIENT_CLEAR_ALL, 0L, 0L, 0L), errno);
            if (name != null) {
                check("initgroups(" + name + ")", (int) Libc.INITGROUPS.invokeExact(errno, arena.allocateFrom(name), gid), errno);
            } else {
                check("setgroups(0)", (int) Libc.SETGROUPS.invokeExact(errno, 0L, MemorySegment.NULL), errno);
            }
            check("setresgid(" + gid + ")", (int) Libc.SETRESGID.invokeExact(errno, gid, gid, gid), errno);
            check("setresuid(" + uid + ")", (int) Libc.SETRESUID.invokeExact(errno, uid, uid, uid), errno);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("dropping privileges failed: " + e, e);
        }
        verifyEveryThread();
    }

    /**
     * Opens every jar of the class path now, while it is readable: the JDK keeps an opened jar open, so
     * classes still to load from it load after the drop too (a jar under root's 0700 home could not be
     * opened by the user). Classes in directories are read by path, so those must be readable by the user.
     */
    private static void openClassPath() {
        try {
            var manifests = ClassLoader.getSystemClassLoader().getResources("META-INF/MANIFEST.MF");
            while (manifests.hasMoreElements()) {
                manifests.nextElement();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the class path before dropping privileges: " + e.getMessage());
        }
    }

    /** Reads back each thread's ids and capabilities: none may be left with uid 0 or a capability. */
    private void verifyEveryThread() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                List<String> status;
                try {
                    status = Files.readAllLines(task.resolve("status"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                for (String line : status) {
                    boolean wrongUid = line.startsWith("Uid:") && !line.split("\\s+")[1].equals(Integer.toString(uid));
                    boolean capability = (line.startsWith("CapEff:") || line.startsWith("CapPrm:") || line.startsWith("CapAmb:"))
                            && Long.parseUnsignedLong(line.split("\\s+")[1], 16) != 0;
                    if (wrongUid || capability) {
                        throw new IllegalStateException("after dropping privileges, thread " + task.getFileName() + " still has " + line.trim());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/task to check the drop: " + e.getMessage());
        }
    }

    /** The highest capability number this kernel has; read by lines, as Files.readString read "4" of a /proc file's "40". */
    private static int lastCapability() throws IOException {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).getFirst().trim());
    }

    private static void check(String call, int result, MemorySegment state) {
        if (result != 0) {
            int errno = (int) Libc.ERRNO.get(state, 0L);
            throw new IllegalStateException(call + " failed: " + Libc.errnoName(errno)
                    + (errno == 1 ? " (dropping to --user needs the exporter to start as root)" : ""));
        }
    }

    /** The libc calls, bound once, each capturing errno. */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

        // struct passwd *getpwnam(const char *name); struct group *getgrnam(const char *name);
        static final MethodHandle GETPWNAM = plain("getpwnam", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        static final MethodHandle GETGRNAM = plain("getgrnam", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        // int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5);
        static final MethodHandle PRCTL = withErrno("prctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        // int initgroups(const char *user, gid_t group);
        static final MethodHandle INITGROUPS = withErrno("initgroups",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        // int setgroups(size_t size, const gid_t *list);
        static final MethodHandle SETGROUPS = withErrno("setgroups",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        // int setresgid(gid_t rgid, gid_t egid, gid_t sgid); int setresuid(uid_t ruid, uid_t euid, uid_t suid);
        static final MethodHandle SETRESGID = withErrno("setresgid",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle SETRESUID = withErrno("setresuid",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
        }

        private static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
            return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, ERRNO_OPTION);
        }

        static String errnoName(int errno) {
            return switch (errno) {
                case 1 -> "EPERM";
                case 22 -> "EINVAL";
                case 12 -> "ENOMEM";
                case 11 -> "EAGAIN";
                default -> "errno " + errno;
            };
        }
    }
}
