package dev.plumb.rpc.fuzz;

import java.io.PrintWriter;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs one fuzz target class outside Maven (what {@code fuzz/campaign.sh} uses for a long campaign in chunks, from a
 * snapshot of the classes so that the tree can change meanwhile). Exit status 1 when the target found something.
 */
public final class FuzzCampaign {

    private FuzzCampaign() {
    }

    /** Runs the test class named by the first argument. */
    public static void main(String[] args) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(args[0])).build(), listener);
        PrintWriter out = new PrintWriter(System.out, true);
        listener.getSummary().printTo(out);
        listener.getSummary().printFailuresTo(out, 20);
        System.exit(listener.getSummary().getTotalFailureCount() > 0 ? 1 : 0);
    }
}
