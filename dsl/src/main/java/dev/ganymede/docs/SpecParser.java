package dev.ganymede.docs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.UnaryMinusExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.ast.stmt.BlockStatement;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.Phases;

/**
 * Reads Spock specifications from their Groovy source without compiling or running them: the
 * source is parsed by Groovy's own parser up to the CONVERSION phase (no class is resolved, so no
 * class path is needed), and the documentation is read off the syntax tree: @Title, @Narrative,
 * @See, the feature methods with their block labels and descriptions, and the where: blocks.
 * Whatever is shown as code (data table cells, undescribed blocks, annotation conditions) is cut
 * from the source text by the positions the parser records, so it reads exactly as written.
 */
final class SpecParser {

    /** Spock's block labels; a method with at least one of them is a feature method. */
    static final Set<String> BLOCK_LABELS =
            Set.of("setup", "given", "expect", "when", "then", "cleanup", "where", "and", "filter", "combined");

    private static final Set<String> FIXTURE_METHODS = Set.of("setup", "cleanup", "setupSpec", "cleanupSpec");
    private static final Set<String> SPECIFICATION = Set.of("Specification", "spock.lang.Specification");
    private static final Pattern TABLE_SEPARATOR = Pattern.compile("_{2,}");

    private SpecParser() {
    }

    /** A specification class, as its source documents it. */
    record Spec(String module, String sourcePath, String packageName, String className, String title,
                String narrative, List<String> sees, List<String> notes, List<Feature> features) {

        String qualifiedName() {
            return packageName.isEmpty() ? className : packageName + "." + className;
        }
    }

    /** A feature method: its name (with #placeholders as written), notes from its annotations, its blocks, its source. */
    record Feature(String name, List<String> notes, List<String> sees, List<Block> blocks, List<String> source) {
    }

    /**
     * A block: its label, its description (or null), the code under it (for blocks that have no
     * description), and for where: blocks (and the and:/combined: blocks after them) the data.
     */
    record Block(String label, String description, String code, List<Data> data, boolean dataBlock) {
    }

    /** Something in a where: block. */
    sealed interface Data permits Table, Pipe, Derived, Code {
    }

    /**
     * A data table. {@code separators.get(i)} is the operator between column i and column i + 1 of
     * the header ("|" or "||"); every row may carry a trailing // comment (or null).
     */
    record Table(List<String> header, List<String> separators, List<List<Cell>> rows, List<String> comments)
            implements Data {
    }

    /** A data pipe {@code x << [1, 2]} or {@code [a, b] << provider}; values is null unless the provider is a list literal. */
    record Pipe(List<String> variables, String provider, List<Cell> values) implements Data {
    }

    /** A derived data variable {@code x = expression}. */
    record Derived(String variable, String expression) implements Data {
    }

    /** Any other statement in a where: block. */
    record Code(String text) implements Data {
    }

    /** A data value: its source text, and how Spock prints it in an unrolled name (null when that is not known statically). */
    record Cell(String source, String value) {
    }

    /** A parsed source file: where it comes from, its syntax tree and its text. */
    record Parsed(String module, String sourcePath, ModuleNode ast, Source source) {
    }

    /** Parses Groovy source text up to the CONVERSION phase. */
    static Parsed parse(String text, String module, String sourcePath) {
        String normalized = text.replace("\r\n", "\n");
        return new Parsed(module, sourcePath, syntaxTree(normalized, sourcePath), new Source(normalized));
    }

    /**
     * The specifications among parsed files: classes extending Specification, or extending a class
     * that does (a base spec of the project, in any of the files). Helper classes are skipped.
     */
    static List<Spec> specs(List<Parsed> files) {
        Map<String, String> superclasses = new HashMap<>();
        for (Parsed file : files) {
            for (ClassNode type : file.ast().getClasses()) {
                ClassNode superclass = type.getUnresolvedSuperClass(false);
                String name = superclass == null ? "" : superclass.getName();
                superclasses.put(type.getName(), name);
                superclasses.putIfAbsent(type.getNameWithoutPackage(), name);
            }
        }
        List<Spec> specs = new ArrayList<>();
        for (Parsed file : files) {
            for (ClassNode type : file.ast().getClasses()) {
                if (isSpec(type.getName(), superclasses, 0)) {
                    specs.add(spec(type, file));
                }
            }
        }
        return specs;
    }

    private static boolean isSpec(String name, Map<String, String> superclasses, int depth) {
        String superclass = superclasses.get(name);
        if (superclass == null || superclass.isEmpty() || depth > 20) {
            return false;
        }
        return SPECIFICATION.contains(superclass) || isSpec(superclass, superclasses, depth + 1);
    }

    private static Spec spec(ClassNode type, Parsed file) {
        List<Feature> features = new ArrayList<>();
        for (MethodNode method : type.getMethods()) {
            Feature feature = feature(method, file.source());
            if (feature != null) {
                features.add(feature);
            }
        }
        String pkg = type.getPackageName() == null ? "" : type.getPackageName();
        return new Spec(file.module(), file.sourcePath(), pkg, type.getNameWithoutPackage(),
                stringMember(type, "Title"), stringMember(type, "Narrative"), sees(type),
                notes(type, file.source()), features);
    }

    private static ModuleNode syntaxTree(String text, String name) {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setTolerance(0);
        CompilationUnit unit = new CompilationUnit(config);
        unit.addSource(name, text);
        try {
            unit.compile(Phases.CONVERSION);
        } catch (CompilationFailedException e) {
            throw new IllegalStateException("cannot parse " + name + ": " + e.getMessage(), e);
        }
        return unit.getAST().getModules().get(0);
    }

    private static Feature feature(MethodNode method, Source source) {
        if (FIXTURE_METHODS.contains(method.getName()) || !(method.getCode() instanceof BlockStatement body)) {
            return null;
        }
        List<Statement> statements = body.getStatements();
        if (statements.stream().noneMatch(s -> blockLabel(s) != null)) {
            return null;
        }
        body.visit(new CodeVisitorSupport() {
            @Override
            public void visitConstantExpression(ConstantExpression expression) {
                source.verbatim(expression);
            }

            @Override
            public void visitGStringExpression(GStringExpression expression) {
                source.verbatim(expression);
                super.visitGStringExpression(expression);
            }
        });
        List<Block> blocks = new ArrayList<>();
        String label = null;
        String description = null;
        List<Statement> content = new ArrayList<>();
        boolean inWhere = false;
        boolean started = false;
        for (Statement statement : statements) {
            String next = blockLabel(statement);
            if (next != null) {
                if (started) {
                    blocks.add(block(label, description, content, inWhere, source));
                }
                inWhere = next.equals("where") || next.equals("combined")
                        || (inWhere && next.equals("and"));
                label = next;
                description = null;
                content = new ArrayList<>();
                started = true;
                String text = stringConstant(statement);
                if (text != null) {
                    description = text;
                    continue;
                }
            } else if (!started) {
                label = "setup";       // statements before the first label form an implicit setup block
                started = true;
            }
            content.add(statement);
        }
        if (started) {
            blocks.add(block(label, description, content, inWhere, source));
        }
        List<String> lines = source.lines(method.getLineNumber(), method.getLastLineNumber());
        int indentation = lines.isEmpty() ? 0 : Text.indentation(lines.get(0));
        return new Feature(method.getName(), notes(method, source), sees(method), blocks,
                source.dedent(method.getLineNumber(), lines, indentation));
    }

    private static Block block(String label, String description, List<Statement> content, boolean where, Source source) {
        if (!where) {
            String code = content.isEmpty() ? null : source.statements(content);
            return new Block(label, description, code, List.of(), false);
        }
        List<Data> data = new ArrayList<>();
        Table table = null;
        for (Statement statement : content) {
            Expression expression = statement instanceof ExpressionStatement e ? e.getExpression() : null;
            if (expression instanceof VariableExpression v && TABLE_SEPARATOR.matcher(v.getName()).matches()) {
                table = null;
                continue;
            }
            if (isRow(expression)) {
                List<Expression> cells = new ArrayList<>();
                List<String> operators = new ArrayList<>();
                flatten(expression, cells, operators);
                if (table == null) {
                    table = new Table(cells.stream().map(source::text).toList(), operators,
                            new ArrayList<>(), new ArrayList<>());
                    data.add(table);
                } else {
                    table.rows().add(cells.stream().map(c -> cell(c, source)).toList());
                    table.comments().add(source.trailingComment(statement));
                }
                continue;
            }
            table = null;
            if (expression instanceof BinaryExpression b && b.getOperation().getText().equals("<<")) {
                List<String> variables = b.getLeftExpression() instanceof ListExpression list
                        ? list.getExpressions().stream().map(source::text).toList()
                        : List.of(source.text(b.getLeftExpression()));
                List<Cell> values = null;
                if (b.getRightExpression() instanceof ListExpression list && variables.size() == 1) {
                    values = list.getExpressions().stream().map(c -> cell(c, source)).toList();
                }
                data.add(new Pipe(variables, source.text(b.getRightExpression()), values));
            } else if (expression instanceof BinaryExpression b && b.getOperation().getText().equals("=")) {
                data.add(new Derived(source.text(b.getLeftExpression()), source.text(b.getRightExpression())));
            } else {
                data.add(new Code(source.statements(List.of(statement))));
            }
        }
        return new Block(label, description, null, data, true);
    }

    private static boolean isRow(Expression expression) {
        return expression instanceof BinaryExpression b
                && (b.getOperation().getText().equals("|") || b.getOperation().getText().equals("||"));
    }

    private static void flatten(Expression expression, List<Expression> cells, List<String> operators) {
        if (isRow(expression)) {
            BinaryExpression b = (BinaryExpression) expression;
            flatten(b.getLeftExpression(), cells, operators);
            operators.add(b.getOperation().getText());
            flatten(b.getRightExpression(), cells, operators);
        } else {
            cells.add(expression);
        }
    }

    private static Cell cell(Expression expression, Source source) {
        return new Cell(source.text(expression), value(expression));
    }

    /** How Spock would print a literal value in an iteration name, or null when only running would tell. */
    private static String value(Expression expression) {
        if (expression instanceof ConstantExpression c) {
            return String.valueOf(c.getValue());
        }
        if (expression instanceof UnaryMinusExpression m && m.getExpression() instanceof ConstantExpression c
                && c.getValue() instanceof Number) {
            return "-" + c.getValue();
        }
        if (expression instanceof ListExpression list) {
            List<String> items = new ArrayList<>();
            for (Expression item : list.getExpressions()) {
                String v = value(item);
                if (v == null) {
                    return null;
                }
                items.add(v);
            }
            return "[" + String.join(", ", items) + "]";
        }
        return null;
    }

    private static String blockLabel(Statement statement) {
        List<String> labels = statement.getStatementLabels();
        if (labels == null) {
            return null;
        }
        for (String label : labels) {
            if (BLOCK_LABELS.contains(label)) {
                return label;
            }
        }
        return null;
    }

    private static String stringConstant(Statement statement) {
        if (statement instanceof ExpressionStatement e && e.getExpression() instanceof ConstantExpression c
                && c.getValue() instanceof String s) {
            return s;
        }
        return null;
    }

    private static AnnotationNode annotation(AnnotatedNode node, String simpleName) {
        for (AnnotationNode annotation : node.getAnnotations()) {
            String name = annotation.getClassNode().getName();
            if (name.equals(simpleName) || name.equals("spock.lang." + simpleName)) {
                return annotation;
            }
        }
        return null;
    }

    private static String stringMember(AnnotatedNode node, String annotationName) {
        AnnotationNode annotation = annotation(node, annotationName);
        if (annotation != null && annotation.getMember("value") instanceof ConstantExpression c
                && c.getValue() instanceof String s) {
            return s;
        }
        return null;
    }

    private static List<String> sees(AnnotatedNode node) {
        List<String> result = new ArrayList<>();
        for (String name : List.of("See", "Issue")) {
            AnnotationNode annotation = annotation(node, name);
            if (annotation == null) {
                continue;
            }
            Expression value = annotation.getMember("value");
            List<Expression> items = value instanceof ListExpression list ? list.getExpressions() : List.of(value);
            for (Expression item : items) {
                if (item instanceof ConstantExpression c && c.getValue() instanceof String s) {
                    result.add(s);
                }
            }
        }
        return result;
    }

    /** Sentences for the annotations that change when or whether a feature runs. */
    private static List<String> notes(AnnotatedNode node, Source source) {
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("Requires", "Runs only when %s.");
        templates.put("IgnoreIf", "Skipped when %s.");
        templates.put("PendingFeature", "Pending: written ahead of the code, expected to fail for now.");
        templates.put("Ignore", "Ignored for now%s.");
        templates.put("Stepwise", "The features run in order, each after the one before succeeded.");
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> entry : templates.entrySet()) {
            AnnotationNode annotation = annotation(node, entry.getKey());
            if (annotation == null) {
                continue;
            }
            Expression value = annotation.getMember("value");
            switch (entry.getKey()) {
                case "Requires", "IgnoreIf" -> {
                    String condition = value instanceof ClosureExpression closure ? source.closureBody(closure)
                            : value == null ? "?" : source.text(value);
                    notes.add(String.format(entry.getValue(), "`" + condition + "`"));
                }
                case "Ignore" -> notes.add(String.format(entry.getValue(),
                        value instanceof ConstantExpression c && c.getValue() instanceof String s && !s.isBlank()
                                ? ": " + s : ""));
                default -> notes.add(entry.getValue());
            }
        }
        return notes;
    }

    /** The source text, cut by the line and column positions of syntax tree nodes. */
    static final class Source {
        private final String[] lines;

        private final Set<Integer> verbatim = new HashSet<>();

        Source(String text) {
            this.lines = text.split("\n", -1);
        }

        /** Marks the lines inside a multi-line string literal: their leading spaces belong to the string. */
        void verbatim(ASTNode literal) {
            for (int line = literal.getLineNumber() + 1; line <= literal.getLastLineNumber(); line++) {
                verbatim.add(line);
            }
        }

        /** Removes up to {@code columns} of indentation from lines starting at line {@code first}, except inside string literals. */
        List<String> dedent(int first, List<String> text, int columns) {
            List<String> result = new ArrayList<>();
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i);
                result.add(verbatim.contains(first + i) ? line : Text.dedent(List.of(line), columns).get(0));
            }
            return result;
        }

        List<String> lines(int first, int last) {
            List<String> result = new ArrayList<>();
            for (int i = first; i <= last && i <= lines.length; i++) {
                result.add(lines[i - 1]);
            }
            return result;
        }

        /** The text of an expression, on one line (inner line breaks and indentation become single spaces). */
        String text(ASTNode node) {
            if (node.getLineNumber() < 1 || node.getLastLineNumber() < 1) {
                return node.getText();
            }
            StringBuilder text = new StringBuilder();
            for (int line = node.getLineNumber(); line <= node.getLastLineNumber(); line++) {
                String s = lines[line - 1];
                int from = line == node.getLineNumber() ? Math.min(node.getColumnNumber() - 1, s.length()) : 0;
                int to = line == node.getLastLineNumber() ? Math.min(node.getLastColumnNumber() - 1, s.length()) : s.length();
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(line == node.getLineNumber() ? s.substring(from, to) : s.substring(from, to).strip());
            }
            return text.toString().strip();
        }

        /** The text inside a closure's braces, e.g. the condition of @Requires({ ... }). */
        String closureBody(ClosureExpression closure) {
            String text = text(closure);
            if (text.startsWith("{") && text.endsWith("}")) {
                text = text.substring(1, text.length() - 1).strip();
            }
            return text;
        }

        /**
         * The lines of some consecutive statements as written, with the comments at the end of their
         * last line, dedented; the start of the first line (a block label) is blanked out.
         */
        String statements(List<Statement> statements) {
            Statement first = statements.get(0);
            Statement last = statements.get(statements.size() - 1);
            if (first.getLineNumber() < 1 || last.getLastLineNumber() < 1) {
                return first.getText();
            }
            List<String> text = new ArrayList<>(lines(first.getLineNumber(), last.getLastLineNumber()));
            String head = text.get(0);
            int column = Math.min(first.getColumnNumber() - 1, head.length());
            text.set(0, head.substring(column));
            return String.join("\n", dedent(first.getLineNumber(), text, column));
        }

        /** The // comment after a statement on its last line, or null. */
        String trailingComment(Statement statement) {
            if (statement.getLastLineNumber() < 1) {
                return null;
            }
            String line = lines[statement.getLastLineNumber() - 1];
            int end = Math.min(statement.getLastColumnNumber() - 1, line.length());
            String rest = line.substring(end).strip();
            return rest.startsWith("//") ? rest.substring(2).strip() : null;
        }
    }
}
