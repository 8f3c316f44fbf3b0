package dev.bpfglobals.runtime.internal.kernelenv;

import dev.bpfglobals.runtime.internal.BtfObjects;
import dev.bpfglobals.runtime.kernel.BpfFd;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel BTF objects of the modules one load refers to, open for as long as the load runs: a
 * TRACING program on a module's function names the module's BTF object by fd
 * ({@code attach_btf_obj_fd}), a typed {@code __ksym} a module defines by fd in its {@code ld_imm64},
 * and a module's kfunc by index into {@code fd_array}. Found as libbpf's {@code load_module_btfs}
 * finds them: every BTF object id, opened, and kept if its info says the kernel made it for a module
 * of that name. The kernel takes its own reference on each object a loaded program uses, so these
 * fds are closed once the load is done.
 */
public final class ModuleBtfObjects implements AutoCloseable {

    private Map<String, Integer> idsByName;
    private final Map<String, BpfFd> open = new HashMap<>();
    /** {@code fd_array} as libbpf builds it: index 0 stays empty, since a kfunc offset of 0 means vmlinux. */
    private final Map<String, Integer> fdArrayIndex = new LinkedHashMap<>();

    /**
     * An fd of module {@code module}'s BTF object, opened on the first call for it.
     *
     * @throws IllegalStateException if the kernel lists no BTF object of that module (it was unloaded)
     */
    public BpfFd fd(String module) {
        BpfFd known = open.get(module);
        if (known != null) {
            return known;
        }
        Integer id = ids().get(module);
        Optional<BpfFd> fd = id == null ? Optional.empty() : BtfObjects.open(id);
        if (fd.isEmpty()) {
            throw new IllegalStateException("the kernel lists no BTF object of module '" + module + "' (BPF_BTF_GET_NEXT_ID); "
                    + "was it unloaded? kernel BTF objects: " + ids().keySet());
        }
        open.put(module, fd.get());
        return fd.get();
    }

    /** The index of {@code module}'s BTF object in {@link #fdArray()}, added on the first call (1, 2, ...). */
    public int fdArrayIndex(String module) {
        fd(module);
        return fdArrayIndex.computeIfAbsent(module, m -> fdArrayIndex.size() + 1);
    }

    /** {@code fd_array} for BPF_PROG_LOAD: null, then each module a kfunc call named; empty if none did. */
    public List<BpfFd> fdArray() {
        if (fdArrayIndex.isEmpty()) {
            return List.of();
        }
        List<BpfFd> array = new ArrayList<>();
        array.add(null);
        fdArrayIndex.keySet().forEach(module -> array.add(open.get(module)));
        return array;
    }

    /** The id of each kernel-made BTF object by name (vmlinux and each loaded module's), read once per load. */
    private Map<String, Integer> ids() {
        if (idsByName == null) {
            Map<String, Integer> ids = new HashMap<>();
            for (int id = BtfObjects.nextId(0); id > 0; id = BtfObjects.nextId(id)) {
                Optional<BpfFd> fd = BtfObjects.open(id);
                if (fd.isEmpty()) {
                    continue; // gone between listing and opening, as libbpf skips it
                }
                try (BpfFd btf = fd.get()) {
                    BtfObjects.Info info = BtfObjects.info(btf);
                    if (info.kernelBtf()) {
                        ids.putIfAbsent(info.name(), id);
                    }
                }
            }
            idsByName = ids;
        }
        return idsByName;
    }

    @Override
    public void close() {
        open.values().forEach(BpfFd::close);
        open.clear();
    }
}
