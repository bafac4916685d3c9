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
        assertThat(s.get(CoworkerOption.WORKER_COUNT)).isEqualTo(2);
        assertThat(s.get(CoworkerOption.WORKER_REQUESTS)).isEqualTo(10);
        assertThat(s.get(CoworkerOption.WORKER_DURATION)).isEqualTo(Duration.ofSeconds(600));
        assertThat(s.get(CoworkerOption.WORKER_TIMEOUT)).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.get(CoworkerOption.WORKER_CLEANUP_COUNT)).isEqualTo(1);
        assertThat(s.get(CoworkerOption.POLL_INTERVAL)).isEqualTo(Duration.ofMillis(660));
        assertThat(s.get(CoworkerOption.AGENT_DURATION)).isNull();
        assertThat(s.get(CoworkerOption.LOG_FORMAT)).isEqualTo("text");
        assertThat(s.channel()).isEqualTo("pipe");
    }

    @Test
    void filesThenEnvironmentThenDefinesThenFlagsEachWin() throws Exception {
        Path yaml = Files.writeString(dir.resolve("a.yaml"), "workerCount: 5\nworkerRequests: 7\npollInterval: 2\nworkerTimeout: 9\n");
        Path json = Files.writeString(dir.resolve("b.json"), "{\"workerRequests\": 8, \"logFormat\": \"json\"}");
        SettingsLoader loader = new SettingsLoader().file(yaml).file(json)
                .environment(Map.of("COWORKER_COUNT", "6", "COWORKER_POLL_INTERVAL", "3", "COWORKER_DURATION", "30"))
                .defines(List.of("pollInterval=0.5", "workerDuration=40"))
                .flag(CoworkerOption.WORKER_DURATION, "50", "--flag");
        CoworkerSettings s = loader.settings();
        assertThat(s.get(CoworkerOption.WORKER_TIMEOUT)).isEqualTo(Duration.ofSeconds(9));      // file a
        assertThat(s.get(CoworkerOption.WORKER_REQUESTS)).isEqualTo(8);                         // file b beats file a
        assertThat(s.get(CoworkerOption.LOG_FORMAT)).isEqualTo("json");
        assertThat(s.get(CoworkerOption.WORKER_COUNT)).isEqualTo(6);                            // env beats files
        assertThat(s.get(CoworkerOption.POLL_INTERVAL)).isEqualTo(Duration.ofMillis(500));      // -d beats env
        assertThat(s.get(CoworkerOption.WORKER_DURATION)).isEqualTo(Duration.ofSeconds(50));    // flag beats -d
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
        CoworkerSettings s = new SettingsLoader().flag(CoworkerOption.WEB, "http://x/rpc", "--web").settings();
        assertThat(s.channel()).isEqualTo("web");
    }

    @Test
    void workerCleanupCountOtherThanOneIsRefusedWithTheReason() {
        assertThat(new SettingsLoader().defines(List.of("workerCleanupCount=1")).settings()
                .get(CoworkerOption.WORKER_CLEANUP_COUNT)).isEqualTo(1);
        assertThatThrownBy(() -> new SettingsLoader().environment(Map.of("COWORKER_CLEANUP_COUNT", "3")).settings())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workerCleanupCount=3 (from environment COWORKER_CLEANUP_COUNT)")
                .hasMessageContaining("only 1 is accepted");
    }

    @Test
    void showConfigNamesEveryOptionWithSecretsMasked() {
        Map<String, Object> shown = new SettingsLoader()
                .flag(CoworkerOption.WEB, "https://x/rpc?token=s3cret&a=1", "--web")
                .defines(List.of("webToken=t0ken", "agentDuration=-1", "pollInterval=1.5"))
                .settings().describe();
        assertThat(shown.keySet()).containsExactlyElementsOf(
                CoworkerOption.all().stream().map(CoworkerOption::name).toList());
        assertThat(shown).containsEntry("web", "https://x/rpc?token=***&a=1").containsEntry("webToken", "***")
                .containsEntry("agentDuration", -1.0).containsEntry("pollInterval", 1.5)
                .containsEntry("channel", "web");
    }
}
