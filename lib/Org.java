/** An organisation: its ID, which the API wants, and its name, which operators know. */
public record Org(String id, String name) {}
