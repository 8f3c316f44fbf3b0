package dev.bpfglobals.processor.model;

import dev.bpfglobals.processor.layout.CType;
import javax.lang.model.element.Element;
import javax.lang.model.type.TypeMirror;

/**
 * One record component that is a BPF global variable.
 *
 * @param name     the component name, which is also the C variable name
 * @param type     its C type
 * @param javaType its Java type
 * @param element  the record component, for diagnostics and originating elements
 * @param section  the section its annotation (or none, {@code .data}) puts it in
 */
public record GlobalsComponent(String name, CType type, TypeMirror javaType, Element element, Section section) {
}
