/**
 * The pure-Java loader, not exported: the readers that turn an ELF object into the loader's own
 * data ({@link dev.bpfglobals.runtime.internal.loader.ObjectImage} and the records it holds), the
 * linker, relocation and CO-RE, the ksyms and kconfig externs, and the steps of a load, which
 * return descriptors and names. The public spec types of the root package ({@code ObjectSpec},
 * {@code ProgramSpec}, {@code MapSpec}, ...) are thin wrappers over this data, and
 * {@code LoadedObject} wraps what a load returns; the arrow runs from the root package to this one
 * only.
 */
package dev.bpfglobals.runtime.internal.loader;

