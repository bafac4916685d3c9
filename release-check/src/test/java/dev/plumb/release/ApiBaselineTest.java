package dev.plumb.release;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public API of each published module (every public or protected type and member outside {@code *.internal}
 * packages), as text, against the baseline committed under {@code api/}. Any difference fails, so an API change
 * is never accidental: it shows up as a diff of {@code api/<module>.api} in review, and the release's CHANGELOG
 * can list it. Until a first release exists this is the API record; after it, japicmp compares the jars with the
 * released ones too (docs/releasing.md).
 *
 * <p>To accept a change: copy {@code release-check/target/api/<module>.api} (written on every run) over
 * {@code api/<module>.api}, or run with {@code -Dplumb.api.update=true}.
 */
class ApiBaselineTest {

    private static final String HEADER = """
            # Public API of dev.plumb:%s: public and protected types and members outside *.internal packages.
            # Written by release-check's ApiBaselineTest, which fails when the compiled API differs from this file.
            # An API change is a change of this file: review it and record it in CHANGELOG.md.
            """;

    @ParameterizedTest
    @ValueSource(strings = {"rpc-core", "rpc-pipe", "rpc-web", "rpc-test"})
    void publicApiMatchesTheBaseline(String module) throws Exception {
        Path location = Path.of(required("plumb.api.location." + module));
        String actual = HEADER.formatted(module) + dump(classNames(location));

        Path actualFile = Path.of(required("plumb.api.actualDir")).resolve(module + ".api");
        Files.createDirectories(actualFile.getParent());
        Files.writeString(actualFile, actual, StandardCharsets.UTF_8);

        Path baseline = Path.of(required("plumb.api.dir")).resolve(module + ".api");
        if (Boolean.getBoolean("plumb.api.update")) {
            Files.createDirectories(baseline.getParent());
            Files.writeString(baseline, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(baseline)) {
            fail("No API baseline for " + module + " at " + baseline + ". Create it with\n    cp " + actualFile
                    + " " + baseline + "\n(or run with -Dplumb.api.update=true).");
        }
        String expected = Files.readString(baseline, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            fail("The public API of " + module + " differs from " + baseline + ":\n"
                    + difference(expected, actual)
                    + "\nIf the change is meant, accept it with\n    cp " + actualFile + " " + baseline
                    + "\n(or run with -Dplumb.api.update=true), and note it in CHANGELOG.md.");
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        return value;
    }

    /** Class names under a jar or a classes directory, outside internal packages. */
    static List<String> classNames(Path location) throws IOException {
        List<String> entries = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(Files::isRegularFile)
                        .map(f -> location.relativize(f).toString().replace('\\', '/'))
                        .forEach(entries::add);
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                jar.stream().map(e -> e.getName()).forEach(entries::add);
            }
        }
        return entries.stream()
                .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
                .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                .filter(n -> !Arrays.asList(n.split("\\.")).contains("internal"))
                .sorted()
                .collect(Collectors.toList());
    }

    static String dump(List<String> classNames) throws ClassNotFoundException {
        TreeMap<String, String> blocks = new TreeMap<>();
        ClassLoader loader = ApiBaselineTest.class.getClassLoader();
        for (String name : classNames) {
            Class<?> type = Class.forName(name, false, loader);
            if (isApi(type)) {
                blocks.put(type.getName(), block(type));
            }
        }
        return String.join("", blocks.values());
    }

    /** Visible to users: public (or protected, when nested) and every enclosing type too. */
    private static boolean isApi(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!visible(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String block(Class<?> type) {
        StringBuilder out = new StringBuilder("\n").append(header(type)).append('\n');
        TreeSet<String> members = new TreeSet<>();
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                members.add(modifiers(f.getModifiers()) + f.getGenericType().getTypeName() + " " + f.getName());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers()) && !c.isSynthetic()) {
                members.add(modifiers(c.getModifiers()) + typeParameters(c.getTypeParameters()) + "<init>"
                        + parameters(c) + exceptions(c));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                int mods = m.getModifiers();
                if (type.isInterface()) {
                    mods &= ~Modifier.ABSTRACT;
                }
                members.add(modifiers(mods) + (m.isDefault() ? "default " : "")
                        + typeParameters(m.getTypeParameters()) + m.getGenericReturnType().getTypeName() + " "
                        + m.getName() + parameters(m) + exceptions(m));
            }
        }
        members.forEach(m -> out.append("  ").append(m).append('\n'));
        return out.toString();
    }

    private static String header(Class<?> type) {
        int mods = type.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
                | Modifier.ABSTRACT | Modifier.FINAL);
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            mods &= ~Modifier.ABSTRACT;
        } else if (type.isInterface()) {
            kind = "interface";
            mods &= ~Modifier.ABSTRACT;
        } else if (type.isEnum()) {
            kind = "enum";
        } else if (type.isRecord()) {
            kind = "record";
        } else {
            kind = "class";
        }
        StringBuilder h = new StringBuilder(modifiers(mods));
        if (type.isSealed()) {
            h.append("sealed ");
        }
        h.append(kind).append(' ').append(type.getName()).append(typeParameters(type.getTypeParameters()).stripTrailing());
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            h.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            h.append(type.isInterface() ? " extends " : " implements ").append(names(interfaces));
        }
        if (type.isSealed()) {
            h.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses())
                    .map(Class::getName).sorted().collect(Collectors.joining(", ")));
        }
        return h.toString();
    }

    private static String modifiers(int mods) {
        String s = Modifier.toString(mods & ~(Modifier.TRANSIENT | Modifier.VOLATILE | Modifier.SYNCHRONIZED
                | Modifier.NATIVE | Modifier.STRICT));
        return s.isEmpty() ? "" : s + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            Type[] bounds = v.getBounds();
            boolean plain = bounds.length == 1 && bounds[0] == Object.class;
            return plain ? v.getName() : v.getName() + " extends " + Arrays.stream(bounds)
                    .map(Type::getTypeName).collect(Collectors.joining(" & "));
        }).collect(Collectors.joining(", ", "<", "> "));
    }

    private static String parameters(Executable e) {
        Type[] types = e.getGenericParameterTypes();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = types[i].getTypeName();
            if (e.isVarArgs() && i == types.length - 1 && name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2) + "...";
            }
            names.add(name);
        }
        return names.stream().collect(Collectors.joining(", ", "(", ")"));
    }

    private static String exceptions(Executable e) {
        Type[] thrown = e.getGenericExceptionTypes();
        return thrown.length == 0 ? "" : " throws " + names(thrown);
    }

    private static String names(Type[] types) {
        return Arrays.stream(types).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    /** Lines only in the baseline (-) and only in the build (+), with the type each belongs to. */
    static String difference(String expected, String actual) {
        List<String> removed = new ArrayList<>(annotated(expected));
        List<String> added = new ArrayList<>(annotated(actual));
        List<String> before = new ArrayList<>(removed);
        removed.removeAll(added);
        added.removeAll(before);
        StringBuilder out = new StringBuilder();
        removed.forEach(l -> out.append("  - ").append(l).append('\n'));
        added.forEach(l -> out.append("  + ").append(l).append('\n'));
        return out.toString();
    }

    private static List<String> annotated(String text) {
        List<String> lines = new ArrayList<>();
        String type = "";
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("  ")) {
                lines.add(type + " :: " + line.strip());
            } else {
                type = line;
                lines.add(line);
            }
        }
        return lines;
    }
}
