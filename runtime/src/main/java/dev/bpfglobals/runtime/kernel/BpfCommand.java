package dev.bpfglobals.runtime.kernel;

/** The bpf(2) commands this library issues, with their {@code enum bpf_cmd} numbers. */
public enum BpfCommand {
    /** Creates a map. */
    BPF_MAP_CREATE(0),
    /** Reads the value of a key (every CPU's copy, for a per-CPU map). */
    BPF_MAP_LOOKUP_ELEM(1),
    /** Writes the value of a key. */
    BPF_MAP_UPDATE_ELEM(2),
    /** Deletes a key. */
    BPF_MAP_DELETE_ELEM(3),
    /** Gives the key after a given one, to iterate over a map. */
    BPF_MAP_GET_NEXT_KEY(4),
    /** Verifies and loads a program. */
    BPF_PROG_LOAD(5),
    /** Pins a map, program or link on a bpffs mount. */
    BPF_OBJ_PIN(6),
    /** Opens a pinned map, program or link. */
    BPF_OBJ_GET(7),
    /** Runs a program once or repeatedly on given input, without attaching it. */
    BPF_PROG_TEST_RUN(10),
    /** Gives the next loaded program's id, to list programs. */
    BPF_PROG_GET_NEXT_ID(11),
    /** Gives the next map's id, to list maps. */
    BPF_MAP_GET_NEXT_ID(12),
    /** Opens a program by its id. */
    BPF_PROG_GET_FD_BY_ID(13),
    /** Opens a map by its id. */
    BPF_MAP_GET_FD_BY_ID(14),
    /** Reads what the kernel knows about a map, program, link or BTF object. */
    BPF_OBJ_GET_INFO_BY_FD(15),
    /** Lists the programs attached to a hook. */
    BPF_PROG_QUERY(16),
    /** Attaches a raw tracepoint or tracing program. */
    BPF_RAW_TRACEPOINT_OPEN(17),
    /** Loads BTF type information. */
    BPF_BTF_LOAD(18),
    /** Opens a BTF object by its id. */
    BPF_BTF_GET_FD_BY_ID(19),
    /** Reads and removes one element (for queues and stacks: pops one). */
    BPF_MAP_LOOKUP_AND_DELETE_ELEM(21),
    /** Freezes a map against writes from user space (as {@code .rodata} is after load). */
    BPF_MAP_FREEZE(22),
    /** Gives the next BTF object's id, to list them (the kernel's own BTF among them). */
    BPF_BTF_GET_NEXT_ID(23),
    /** Reads many elements in one call, resuming from a batch token. */
    BPF_MAP_LOOKUP_BATCH(24),
    /** Reads and removes many elements in one call. */
    BPF_MAP_LOOKUP_AND_DELETE_BATCH(25),
    /** Writes many elements in one call. */
    BPF_MAP_UPDATE_BATCH(26),
    /** Removes many elements in one call. */
    BPF_MAP_DELETE_BATCH(27),
    /** Attaches a program through a BPF link. */
    BPF_LINK_CREATE(28),
    /** Swaps the program a BPF link runs. */
    BPF_LINK_UPDATE(29),
    /** Opens a BPF link by its id. */
    BPF_LINK_GET_FD_BY_ID(30),
    /** Opens a new read of an iterator link: an fd whose {@code read()} runs the iterator program over its objects. */
    BPF_ITER_CREATE(33),
    /** Detaches a BPF link's program, even while the link is pinned or held elsewhere. */
    BPF_LINK_DETACH(34);

    private final int number;

    BpfCommand(int number) {
        this.number = number;
    }

    /** {@return the command's number in the kernel's {@code enum bpf_cmd}} */
    public int number() {
        return number;
    }
}
