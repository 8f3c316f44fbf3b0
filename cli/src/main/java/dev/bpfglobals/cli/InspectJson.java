package dev.bpfglobals.cli;

import static dev.bpfglobals.cli.Json.quote;

import dev.bpfglobals.runtime.GlobalSection;
import dev.bpfglobals.runtime.GlobalVariable;
import dev.bpfglobals.runtime.MapSpec;
import dev.bpfglobals.runtime.ObjectSpec;
import dev.bpfglobals.runtime.ProgramSpec;
import java.util.HexFormat;
import java.util.stream.Collectors;

/** {@code inspect --json}: the same facts as the text output, for other tools. */
final class InspectJson {

    private InspectJson() {
    }

    static String of(ObjectSpec object) {
        String sections = object.globalSections().stream().map(InspectJson::section).collect(Collectors.joining(", "));
        String maps = object.maps().stream().map(InspectJson::map).collect(Collectors.joining(", "));
        String programs = object.programs().stream().map(InspectJson::program).collect(Collectors.joining(", "));
        return "{\"sections\": [" + sections + "], \"maps\": [" + maps + "], \"programs\": [" + programs + "]}";
    }

    private static String section(GlobalSection section) {
        byte[] image = section.initialImage();
        String variables = section.variables().stream().map(v -> variable(v, image)).collect(Collectors.joining(", "));
        return "{\"name\": " + quote(section.name()) + ", \"size\": " + section.size() + ", \"mapType\": "
                + quote(section.mapType().name()) + ", \"variables\": [" + variables + "]}";
    }

    private static String variable(GlobalVariable v, byte[] image) {
        return "{\"name\": " + quote(v.name()) + ", \"cType\": " + quote(v.cType()) + ", \"offset\": " + v.offset() + ", \"size\": " + v.size()
                + ", \"initialValue\": " + quote(HexFormat.of().formatHex(image, v.offset(), v.end())) + "}";
    }

    private static String map(MapSpec map) {
        return "{\"name\": " + quote(map.name()) + ", \"type\": " + map.type() + ", \"typeName\": "
                + quote(InspectCommand.mapTypeName(map.type())) + ", \"keySize\": " + map.keySize()
                + ", \"valueSize\": " + map.valueSize() + ", \"maxEntries\": " + map.maxEntries() + "}";
    }

    private static String program(ProgramSpec program) {
        return "{\"name\": " + quote(program.name()) + ", \"section\": " + quote(program.section())
                + ", \"type\": " + quote(program.type().name()) + ", \"instructions\": " + program.instructionCount()
                + ", \"autoAttach\": " + quote(InspectCommand.autoAttach(program.section())) + "}";
    }
}
