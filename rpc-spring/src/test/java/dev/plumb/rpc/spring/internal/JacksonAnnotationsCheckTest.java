package dev.plumb.rpc.spring.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The startup check that turns Boot 3.5's NoClassDefFoundError into a message saying what to pin. */
class JacksonAnnotationsCheckTest {

    @Test
    void theAnnotationsOnThisClasspathAreRecentEnough() {
        assertThatCode(() -> JacksonAnnotationsCheck.check(getClass().getClassLoader())).doesNotThrowAnyException();
    }

    @Test
    void tooOldAnnotationsFailWithTheFix() {
        ClassLoader withoutAnnotations = new ClassLoader(null) { };
        assertThatThrownBy(() -> JacksonAnnotationsCheck.check(withoutAnnotations))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.fasterxml.jackson.core:jackson-annotations")
                .hasMessageContaining("pin");
    }
}
