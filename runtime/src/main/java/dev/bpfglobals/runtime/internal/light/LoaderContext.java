package dev.bpfglobals.runtime.internal.light;

/**
 * The layout of the context the loader program runs on ({@code BPF_PROG_TEST_RUN}'s
 * {@code ctx_in}, which the kernel copies back once the program returns): a header through which
 * the program reports the step under way and its error and takes the verifier log buffer for its
 * program loads, then one 32-bit descriptor slot for the BTF, each map and each program.
 *
 * <pre>
 *   0 u32 size      4 u32 step (1-based; 0 when done)   8 s32 error (-errno)
 *  12 u32 log_level 16 u32 log_size  24 u64 log_buf (a user-space buffer)
 *  32 u32 btf_fd    36 u32 map_fd[maps]  ... u32 prog_fd[programs]
 * </pre>
 *
 * @param maps     how many maps the loader creates
 * @param programs how many programs it loads
 */
public record LoaderContext(int maps, int programs) {

    static final int SIZE = 0;
    static final int STEP = 4;
    static final int ERROR = 8;
    static final int LOG_LEVEL = 12;
    static final int LOG_SIZE = 16;
    static final int LOG_BUF = 24;
    static final int BTF_FD = 32;
    private static final int FIRST_MAP_FD = 36;

    /**
     * Where map {@code index}'s descriptor goes.
     *
     * @param index the map's index
     * @return its slot's offset
     */
    public int mapFd(int index) {
        return FIRST_MAP_FD + 4 * index;
    }

    /**
     * Where program {@code index}'s descriptor goes.
     *
     * @param index the program's index
     * @return its slot's offset
     */
    public int programFd(int index) {
        return FIRST_MAP_FD + 4 * (maps + index);
    }

    /** {@return the whole context's size, 8-aligned} */
    public int size() {
        int end = FIRST_MAP_FD + 4 * (maps + programs);
        return (end + 7) & ~7;
    }
}
