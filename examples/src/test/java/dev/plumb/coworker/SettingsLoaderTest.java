package dev.plumb.coworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreCoworkers() {
        CoworkerSettings s = new SettingsLoader().settings();
        assertThat(s.workerCount()).isEqualTo(2);
        assertThat(s.workerRequests()).isEqualTo(10);
        assertThat(s.workerDuration()).isEqualTo(Duration.ofSeconds(600));
        assertThat(s.workerTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.workerCleanupCount()).isEqualTo(1);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(660));
        assertThat(s.agentDuration()).isNull();
        assertThat(s.logFormat()).isEqualTo("text");
        assertThat(s.channel()).isEqualTo("pipe");
    }

    @Test
    void filesThenEnvironmentThenDefinesThenFlagsEachWin() throws Exception {
        Path yaml = Files.writeString(dir.resolve("a.yaml"), "workerCount: 5\nworkerRequests: 7\npollInterval: 2\nworkerTimeout: 9\n");
        Path json = Files.writeString(dir.resolve("b.json"), "{\"workerRequests\": 8, \"logFormat\": \"json\"}");
        SettingsLoader loader = new SettingsLoader().file(yaml).file(json)
                .environment(Map.of("COWORKER_COUNT", "6", "COWORKER_POLL_INTERVAL", "3", "COWORKER_DURATION", "30"))
                .defines(List.of("pollInterval=0.5", "workerDuration=40"))
                .flag("workerDuration", "50", "--flag");
        CoworkerSettings s = loader.settings();
        assertThat(s.workerTimeout()).isEqualTo(Duration.ofSeconds(9));      // file a
        assertThat(s.workerRequests()).isEqualTo(8);                         // file b beats file a
        assertThat(s.logFormat()).isEqualTo("json");
        assertThat(s.workerCount()).isEqualTo(6);                            // env beats files
        assertThat(s.pollInterval()).isEqualTo(Duration.ofMillis(500));      // -d beats env
        assertThat(s.workerDuration()).isEqualTo(Duration.ofSeconds(50));    // flag beats -d
        assertThat(loader.sources()).containsEntry("workerCount", "environment COWORKER_COUNT");
    }

    @Test
    void typosAndBadValuesAreClearErrors() {
        assertThatThrownBy(() -> new SettingsLoader().defines(List.of("workerCuont=3")))
                .hasMessageContaining("unknown option 'workerCuont'");
        assertThatThrownBy(() -> new SettingsLoader().defines(List.of("workerCount=zero")).settings())
                .hasMessageContaining("workerCount=zero (from -d workerCount) must be a whole number");
        assertThatThrownBy(() -> new SettingsLoader().defines(List.of("channel=web")).settings())
                .hasMessageContaining("needs --web");
        assertThatThrownBy(() -> new SettingsLoader().defines(List.of("novalue")))
                .hasMessageContaining("KEY=VALUE");
    }

    @Test
    void onlyWebMeansTheWebChannel() {
        CoworkerSettings s = new SettingsLoader().flag("web", "http://x/rpc", "--web").settings();
        assertThat(s.channel()).isEqualTo("web");
    }
}
