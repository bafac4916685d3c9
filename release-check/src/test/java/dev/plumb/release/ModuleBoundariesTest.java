package dev.plumb.release;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.plumb.release.fixture.UsesAnInternalClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, checked on the compiled classes of every module: nothing uses another module's
 * {@code internal} packages, and nothing depends upward (rpc-core on nothing of Plumb; rpc-test, rpc-pipe and
 * rpc-web on rpc-core; the Spring starter on rpc-core and rpc-web; the examples on public API only).
 */
class ModuleBoundariesTest {

    private static final String CORE_INTERNAL = "dev.plumb.rpc.internal..";
    private static final String TEST_KIT = "dev.plumb.rpc.test..";
    private static final String TEST_KIT_INTERNAL = "dev.plumb.rpc.test.internal..";
    private static final String PIPE = "dev.plumb.rpc.pipe..";
    private static final String PIPE_INTERNAL = "dev.plumb.rpc.pipe.internal..";
    private static final String WEB = "dev.plumb.rpc.web..";
    private static final String WEB_INTERNAL = "dev.plumb.rpc.web.internal..";
    private static final String SPRING = "dev.plumb.rpc.spring..";
    private static final String SPRING_INTERNAL = "dev.plumb.rpc.spring.internal..";
    private static final String[] EXAMPLES = {"dev.plumb.coworker..", "dev.plumb.rpc.examples.."};
    /** rpc-core's observation package (Micrometer, an optional dependency). */
    private static final String OBSERVATION = "dev.plumb.rpc.observation..";
    /**
     * rpc-core's packages: the top package, its OpenRPC and observation packages and its internals (not its
     * sub-modules).
     */
    private static final String[] CORE = {"dev.plumb.rpc", "dev.plumb.rpc.openrpc..", OBSERVATION, CORE_INTERNAL};
    /** Every package a published module owns. */
    private static final String[] PUBLISHED = {"dev.plumb.rpc", "dev.plumb.rpc.openrpc..", OBSERVATION, CORE_INTERNAL,
        TEST_KIT, PIPE, WEB, SPRING};

    private static JavaClasses classes;

    @BeforeAll
    static void importEveryModule() {
        List<String> modules = List.of("rpc-core", "rpc-test", "rpc-pipe", "rpc-web", "plumb-spring-boot-starter",
                "examples");
        classes = new ClassFileImporter().importLocations(modules.stream()
                .map(m -> location(Path.of(System.getProperty("plumb.classes." + m, "missing: plumb.classes." + m))))
                .toList());
    }

    /** A module's classes: its jar after {@code package}, its classes directory before. */
    private static Location location(Path path) {
        if (!path.toString().endsWith(".jar")) {
            return Location.of(path);
        }
        try {
            return Location.of(new JarFile(path.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final ArchRule CORE_DEPENDS_ON_NO_OTHER_MODULE = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(TEST_KIT, PIPE, WEB, SPRING, EXAMPLES[0],
                    EXAMPLES[1])
            .because("rpc-core depends on nothing of Plumb");

    static final ArchRule TEST_KIT_DEPENDS_ON_CORE_ONLY = noClasses().that().resideInAPackage(TEST_KIT)
            .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNAL, PIPE, WEB, SPRING, EXAMPLES[0],
                    EXAMPLES[1])
            .because("rpc-test depends on rpc-core's public API only");

    static final ArchRule PIPE_DEPENDS_ON_CORE_ONLY = noClasses().that().resideInAPackage(PIPE)
            .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNAL, TEST_KIT_INTERNAL, WEB, SPRING,
                    EXAMPLES[0], EXAMPLES[1])
            .because("rpc-pipe depends on rpc-core's public API only");

    static final ArchRule WEB_DEPENDS_ON_CORE_ONLY = noClasses().that().resideInAPackage(WEB)
            .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNAL, TEST_KIT_INTERNAL, PIPE, SPRING,
                    EXAMPLES[0], EXAMPLES[1])
            .because("rpc-web depends on rpc-core's public API only");

    static final ArchRule SPRING_DEPENDS_ON_CORE_AND_WEB_ONLY = noClasses().that().resideInAPackage(SPRING)
            .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNAL, TEST_KIT_INTERNAL, WEB_INTERNAL, PIPE,
                    EXAMPLES[0], EXAMPLES[1])
            .because("the Spring starter depends on the public API of rpc-core and rpc-web only");

    static final ArchRule OTHERS_USE_PUBLIC_API_ONLY = noClasses().that().resideOutsideOfPackages(PUBLISHED)
            .should().dependOnClassesThat().resideInAnyPackage(CORE_INTERNAL, TEST_KIT_INTERNAL, PIPE_INTERNAL,
                    WEB_INTERNAL, SPRING_INTERNAL)
            .because("code outside the published modules (the examples, users) sees their public API only");

    @Test
    void everyModuleWasImported() {
        assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
                .contains("dev.plumb.rpc", "dev.plumb.rpc.test", "dev.plumb.rpc.pipe", "dev.plumb.rpc.web",
                        "dev.plumb.rpc.spring",
                        "dev.plumb.coworker");
    }

    @Test
    void rpcCoreDependsOnNoOtherModule() {
        CORE_DEPENDS_ON_NO_OTHER_MODULE.check(classes);
    }

    @Test
    void rpcTestDependsOnRpcCoresPublicApiOnly() {
        TEST_KIT_DEPENDS_ON_CORE_ONLY.check(classes);
    }

    @Test
    void rpcPipeDependsOnRpcCoresPublicApiOnly() {
        PIPE_DEPENDS_ON_CORE_ONLY.check(classes);
    }

    @Test
    void rpcWebDependsOnRpcCoresPublicApiOnly() {
        WEB_DEPENDS_ON_CORE_ONLY.check(classes);
    }

    @Test
    void theSpringStarterDependsOnThePublicApiOfCoreAndWebOnly() {
        SPRING_DEPENDS_ON_CORE_AND_WEB_ONLY.check(classes);
    }

    @Test
    void theExamplesUsePublicApiOnly() {
        OTHERS_USE_PUBLIC_API_ONLY.check(classes);
    }

    /** The rules can fail: a class outside the modules that reaches into rpc-core's internals is reported. */
    @Test
    void aClassUsingAnotherModulesInternalsIsReported() {
        JavaClasses bad = new ClassFileImporter().importClasses(UsesAnInternalClass.class);
        EvaluationResult result = OTHERS_USE_PUBLIC_API_ONLY.evaluate(bad);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(line -> assertThat(line).contains(UsesAnInternalClass.class.getName())
                        .contains("dev.plumb.rpc.internal.JsonText"));
    }
}
