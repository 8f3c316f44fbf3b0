/**
 * Annotations that declare BPF global variables on Java record components. This module has no
 * dependencies; the {@code bpf-globals-processor} annotation processor reads them at compile time.
 */
package dev.bpfglobals.annotations;
