package alerts;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cli.UsageException;

/**
 * Per-cluster Slack routes, read from the original Python tool's WEBHOOKS_YAML: a YAML list of
 * maps with webhook_url, channel and phalanx_host (phalanx_env, if present, wins over
 * phalanx_host). That format is fixed and small, so this reads exactly it (block style, plain or
 * quoted scalars, comments) rather than pulling in a YAML library; anything else is rejected with
 * one line that names the line number but never echoes a value, since a line may hold a webhook URL.
 */
public record WebhookRoutes(List<Route> routes) {
    private static final Pattern ITEM = Pattern.compile("( *)-( +.*)?");
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*) *:(?: +(.*))?");
    private static final Pattern FINGERPRINT = Pattern.compile("\\.[0-9a-f]{12}");
    /** The fingerprint's length in a key, with its dot. */
    private static final int FINGERPRINT_LENGTH = 13;

    public static final WebhookRoutes NONE = new WebhookRoutes(List.of());

    /** One cluster's webhook; the URL is a credential and never appears in toString. */
    public record Route(String cluster, String channel, String url) {
        @Override
        public String toString() {
            return "Route[" + cluster + ", " + channel + ", url=<redacted>]";
        }
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /**
     * The secret key holding a route's URL: the base key, the cluster and a fingerprint of the URL.
     * The fingerprint tells whether the stored value is still the wanted one without reading it
     * (the API cannot read secrets back): a changed URL is a new key, so an unchanged route costs
     * no write. It is 48 bits of a SHA-256 over org, cluster and URL, too short to confirm a
     * guessed URL with any confidence, and the URL's own random part is far longer.
     */
    public static String secretKey(String baseKey, String orgId, Route route) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((orgId + "\n" + route.cluster() + "\n" + route.url()).getBytes(StandardCharsets.UTF_8));
            return baseKey + "." + route.cluster() + "." + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** Whether a secret key is one this tool made for a route of this base key. */
    public static boolean isRouteKey(String baseKey, String key) {
        if (!key.startsWith(baseKey + ".") || key.length() < baseKey.length() + 15) {
            return false;
        }
        return FINGERPRINT.matcher(key.substring(key.length() - FINGERPRINT_LENGTH)).matches();
    }

    /** The cluster a route key of this base key was made for (see secretKey). */
    public static String clusterOf(String baseKey, String routeKey) {
        return routeKey.substring(baseKey.length() + 1, routeKey.length() - FINGERPRINT_LENGTH);
    }

    /** Reads the routes; source names where they came from (WEBHOOKS_YAML, or the file) in errors. */
    public static WebhookRoutes parse(String text, String source) {
        List<Map<String, String>> items = new ArrayList<>();
        List<Integer> itemLines = new ArrayList<>();
        Map<String, String> current = null;
        int itemIndent = -1;
        int keyIndent = -1;
        String[] lines = text.replace("\uFEFF", "").split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = stripComment(lines[i], source, number);
            if (line.isBlank() || line.strip().equals("---") || line.strip().equals("...")) {
                continue;
            }
            if (line.contains("\t")) {
                throw bad(source, number, "tabs cannot indent YAML; use spaces");
            }
            if (line.strip().equals("[]") && items.isEmpty() && current == null) {
                continue;
            }
            Matcher item = ITEM.matcher(line);
            String entry;
            if (item.matches()) {
                if (itemIndent >= 0 && item.group(1).length() != itemIndent) {
                    throw bad(source, number, "list items must all start in the same column");
                }
                itemIndent = item.group(1).length();
                current = new LinkedHashMap<>();
                items.add(current);
                itemLines.add(number);
                entry = item.group(2) == null ? "" : item.group(2).strip();
                keyIndent = entry.isEmpty() ? -1 : line.length() - entry.length();
                if (entry.isEmpty()) {
                    continue;
                }
            } else {
                if (current == null) {
                    throw bad(source, number, "expected a list of routes, each starting with '- webhook_url: ...'");
                }
                int indent = line.length() - line.stripLeading().length();
                if (indent <= itemIndent) {
                    throw bad(source, number, "expected '- ' (a new route) or a key indented under the route");
                }
                if (keyIndent >= 0 && indent != keyIndent) {
                    throw bad(source, number, "the keys of one route must line up");
                }
                keyIndent = indent;
                entry = line.strip();
            }
            if (entry.startsWith("{") || entry.startsWith("[")) {
                throw bad(source, number, "flow style ({...} or [...]) is not supported; write each route as '- webhook_url: ...'"
                        + " with its keys on lines below");
            }
            Matcher pair = ENTRY.matcher(entry);
            if (!pair.matches()) {
                throw bad(source, number, "expected 'key: value'");
            }
            String key = pair.group(1);
            if (current.containsKey(key)) {
                throw bad(source, number, "key '" + key + "' appears twice in one route");
            }
            current.put(key, scalar(pair.group(2), source, number, key));
        }
        List<Route> routes = new ArrayList<>();
        Map<String, Integer> clusters = new LinkedHashMap<>();
        for (int n = 0; n < items.size(); n++) {
            Route route = route(items.get(n), source, itemLines.get(n));
            Integer earlier = clusters.putIfAbsent(route.cluster(), itemLines.get(n));
            if (earlier != null) {
                throw bad(source, itemLines.get(n), "a second route for cluster '" + route.cluster() + "' (the first is at line "
                        + earlier + ")");
            }
            routes.add(route);
        }
        return new WebhookRoutes(List.copyOf(routes));
    }

    private static Route route(Map<String, String> item, String source, int line) {
        String url = item.get("webhook_url");
        if (url == null || url.isEmpty()) {
            throw bad(source, line, "the route has no webhook_url");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw bad(source, line, "webhook_url is not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw bad(source, line, "webhook_url is not a valid URL");
        }
        String channel = item.getOrDefault("channel", null);
        channel = channel == null ? "" : channel;
        // The original names a route's cluster by phalanx_env, else phalanx_host, else the channel.
        String cluster = firstSet(item.get("phalanx_env"), item.get("phalanx_host"));
        if (cluster == null) {
            String name = channel.startsWith("#") ? channel.substring(1) : channel;
            cluster = name.startsWith("status-") ? name.substring("status-".length()) : name;
        }
        if (cluster.isEmpty()) {
            throw bad(source, line, "the route names no cluster: give phalanx_host (or a channel such as '#status-<cluster>')");
        }
        return new Route(cluster, channel, url);
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    /** A plain, 'single' or "double" quoted scalar; null, ~ and nothing mean no value. */
    private static String scalar(String raw, String source, int line, String key) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.isEmpty() || value.equals("~") || value.equals("null") || value.equals("Null") || value.equals("NULL")) {
            return null;
        }
        if (value.startsWith("'")) {
            if (value.length() < 2 || !value.endsWith("'")) {
                throw bad(source, line, "unterminated single-quoted value of '" + key + "'");
            }
            String inner = value.substring(1, value.length() - 1);
            if (inner.replace("''", "").contains("'")) {
                throw bad(source, line, "a quote inside the single-quoted value of '" + key + "' must be doubled");
            }
            return inner.replace("''", "'");
        }
        if (value.startsWith("\"")) {
            if (value.length() < 2 || !value.endsWith("\"")) {
                throw bad(source, line, "unterminated double-quoted value of '" + key + "'");
            }
            return unescape(value.substring(1, value.length() - 1), source, line, key);
        }
        if (value.startsWith("&") || value.startsWith("*") || value.startsWith("!") || value.startsWith("|")
                || value.startsWith(">") || value.startsWith("{") || value.startsWith("[")) {
            throw bad(source, line, "the value of '" + key + "' uses YAML features this format does not need; quote it");
        }
        return value;
    }

    private static String unescape(String inner, String source, int line, String key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '"') {
                throw bad(source, line, "an unescaped '\"' inside the value of '" + key + "'");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i == inner.length()) {
                throw bad(source, line, "a value of '" + key + "' ends in a lone backslash");
            }
            char escaped = inner.charAt(i);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 >= inner.length()) {
                        throw bad(source, line, "a short \\u escape in the value of '" + key + "'");
                    }
                    try {
                        out.append((char) Integer.parseInt(inner.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException e) {
                        throw bad(source, line, "a bad \\u escape in the value of '" + key + "'");
                    }
                    i += 4;
                }
                default -> throw bad(source, line, "an unknown escape in the value of '" + key + "'");
            }
        }
        return out.toString();
    }

    /** Drops a comment: '#' at the start or after a space, outside quotes (so "#status-x" must be quoted, as in YAML). */
    private static String stripComment(String line, String source, int number) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                if (i == 0 || " :-".indexOf(line.charAt(i - 1)) >= 0 || line.substring(0, i).isBlank()) {
                    quote = c;
                }
            } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }

    private static UsageException bad(String source, int line, String problem) {
        return new UsageException(source + " line " + line + ": " + problem);
    }
}
