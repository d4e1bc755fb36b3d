//DEPS org.antlr:ST4:4.3.4

package alerts;

import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import cli.UsageException;
import org.stringtemplate.v4.ST;
import org.stringtemplate.v4.STErrorListener;
import org.stringtemplate.v4.STGroup;
import org.stringtemplate.v4.STGroupFile;
import org.stringtemplate.v4.misc.STMessage;

/**
 * Renders Flux from the StringTemplate groups in templates/ (or an operator's own folder).
 * Rendering is strict: any template error, and any declared attribute left unset, is an error
 * naming the template, never an empty string in the Flux. Every String attribute is turned into a
 * Flux string literal, so a bucket named {@code a"b} or {@code ${x}} cannot change the script.
 */
public final class FluxTemplates {
    private final Path folder;
    /**
     * Each group file parsed once: parsing it for every one of 2,000 tasks made most of a run's
     * time at 1,000 applications. Rendering happens while planning, on one thread.
     */
    private final Map<String, STGroup> groups = new HashMap<>();

    private FluxTemplates(Path folder) {
        this.folder = folder;
    }

    /** The templates packaged with the tool (JBang //FILES puts them under templates/). */
    public static FluxTemplates bundled() {
        return new FluxTemplates(null);
    }

    /** An operator's own copies of the group files, for local changes to the Flux. */
    public static FluxTemplates from(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UsageException("template folder " + folder + " does not exist");
        }
        return new FluxTemplates(folder);
    }

    /**
     * Renders one template of a group file. Strings become Flux string literals; a {@link Raw}
     * value (a duration such as 1m, a number) is inserted as it is.
     */
    public String render(String group, String template, Map<String, ?> attributes) {
        String where = group + ".stg, template " + template;
        Failures failures = new Failures(where);
        STGroup stGroup = groups.computeIfAbsent(group, name -> new STGroupFile(url(name), "UTF-8", '\u00ab', '\u00bb'));
        // The group is parsed on its first use, so its errors reach the listener of that render.
        stGroup.setListener(failures);
        ST st = stGroup.getInstanceOf(template);
        failures.check();
        if (st == null) {
            throw new TemplateException(where + ": no such template in " + url(group));
        }
        Set<String> declared = st.impl.formalArguments == null ? Set.of() : st.impl.formalArguments.keySet();
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(attributes.keySet());
        if (!missing.isEmpty()) {
            throw new TemplateException(where + ": no value for attribute(s) " + missing);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        attributes.forEach((name, value) -> values.put(name, value instanceof String text ? stringLiteral(text) : value));
        for (Map.Entry<String, Object> value : values.entrySet()) {
            if (!declared.contains(value.getKey())) {
                throw new TemplateException(where + ": the template does not declare attribute " + value.getKey());
            }
            st.add(value.getKey(), value.getValue());
        }
        String flux = st.render();
        failures.check();
        return flux;
    }

    /** A Flux string literal, quotes included, with \, ", ${ and line breaks escaped. */
    public static String stringLiteral(String value) {
        StringBuilder literal = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '"' -> literal.append("\\\"");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                case '$' -> literal.append(i + 1 < value.length() && value.charAt(i + 1) == '{' ? "\\$" : "$");
                default -> literal.append(c);
            }
        }
        return literal.append('"').toString();
    }

    /** A value put into Flux as it is: durations, numbers. Never anything an operator typed freely. */
    public record Raw(String flux) {
        @Override
        public String toString() {
            return flux;
        }
    }

    private URL url(String group) {
        String file = group + ".stg";
        if (folder == null) {
            URL bundled = FluxTemplates.class.getResource("/templates/" + file);
            if (bundled == null) {
                throw new TemplateException("template group " + file + " is not packaged with this tool");
            }
            return bundled;
        }
        Path path = folder.resolve(file);
        if (!Files.isReadable(path)) {
            throw new TemplateException("cannot read template group " + path);
        }
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new TemplateException("cannot read template group " + path + ": " + e.getMessage());
        }
    }

    /** A template that cannot be rendered: the operator's template folder is broken (exit 2). */
    public static final class TemplateException extends UsageException {
        TemplateException(String message) {
            super(message);
        }
    }

    /** Collects StringTemplate's complaints, which it would otherwise only print. */
    private static final class Failures implements STErrorListener {
        private final String where;
        private final StringBuilder messages = new StringBuilder();

        Failures(String where) {
            this.where = where;
        }

        void check() {
            if (messages.length() > 0) {
                throw new TemplateException(where + ": " + messages.toString().strip());
            }
        }

        private void add(STMessage message) {
            messages.append(message.toString().replace('\n', ' ')).append("; ");
        }

        @Override
        public void compileTimeError(STMessage msg) {
            add(msg);
        }

        @Override
        public void runTimeError(STMessage msg) {
            add(msg);
        }

        @Override
        public void IOError(STMessage msg) {
            add(msg);
        }

        @Override
        public void internalError(STMessage msg) {
            add(msg);
        }
    }

}
