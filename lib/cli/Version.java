package cli;

import picocli.CommandLine.IVersionProvider;

/** --version of every tool; one number for the whole set, as they are released together. */
public final class Version implements IVersionProvider {
    public static final String NUMBER = "0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {"${COMMAND-FULL-NAME} " + NUMBER + " (influx-tools, Java ${java.version})"};
    }
}
