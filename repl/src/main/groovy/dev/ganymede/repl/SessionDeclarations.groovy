package dev.ganymede.repl

import groovy.transform.CompileStatic
import org.codehaus.groovy.ast.ClassCodeVisitorSupport
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.DynamicVariable
import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.CastExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.EmptyExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.PostfixExpression
import org.codehaus.groovy.ast.expr.PrefixExpression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer
import org.codehaus.groovy.syntax.SyntaxException
import org.codehaus.groovy.syntax.Types

import java.beans.Introspector
import java.lang.reflect.Modifier

/**
 * Turns each top-level declaration of a REPL input (`def x = ...`, `String mixture = ...`,
 * `double lr = 1`) into an assignment to the session's binding, its value cast to the declared
 * type, so the variable outlives its input as in groovysh's interpreter mode: a script local would
 * be gone by the next input. Done on the syntax tree, not the text, so a value spanning lines keeps
 * its precedence under the cast and error columns stay those of what the user typed. Only the
 * declared value is converted: a later `lr = 2` stores what it is given, as a binding variable does.
 * Declarations inside blocks and closures stay local, as in a script file, and so does a name the
 * session needs for itself (the script's properties such as `gan` and `params`, and the REPL's own
 * variables): binding it would cut the session off from its GAN.
 *
 * <p>A name declared {@code final} stays final for the rest of the session, as it would in a
 * script: assigning it in a later input is a compile error at the assignment. Declaring the name
 * again ({@code def x = ...}, {@code final x = ...}) replaces it, as a REPL's redefinition does.
 */
@CompileStatic
class SessionDeclarations extends CompilationCustomizer {

    private final Set<String> reserved
    private final Map<String, String> finals

    /** This input's top-level declarations in source order: each governs what comes after it. */
    private final List<Declared> declarations = []

    private static record Declared(String name, boolean markedFinal, int line, int column) {}

    /** The assignments made from declarations: they may set a final name. */
    private final Set<Expression> fromDeclarations = Collections.newSetFromMap(new IdentityHashMap<Expression, Boolean>())

    /**
     * {@code sessionNames}: the binding variables the REPL keeps for itself; {@code finals}: the
     * session's final names, each with the input that declared it.
     */
    SessionDeclarations(Collection<String> sessionNames, Map<String, String> finals = [:]) {
        super(CompilePhase.CONVERSION)
        this.reserved = new HashSet<>(sessionNames)
        this.finals = finals
    }

    /** What an input is compiled with: this conversion, then the check of final names once scopes are known. */
    CompilationCustomizer[] customizers() {
        [this, new FinalCheck()] as CompilationCustomizer[]
    }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.script) {
            return
        }
        Set<String> kept = new HashSet<>(reserved)
        kept.addAll(propertiesOf(source.classLoader.loadClass(classNode.superClass.name)))
        for (Statement statement : source.AST.statementBlock.statements) {
            if (statement instanceof ExpressionStatement) {
                ExpressionStatement s = (ExpressionStatement) statement
                Expression assignment = bindingAssignment(s.expression, kept)
                if (assignment != null) {
                    record((DeclarationExpression) s.expression)
                    fromDeclarations << assignment
                    s.expression = assignment
                }
            }
        }
    }

    private void record(DeclarationExpression d) {
        List<VariableExpression> names = d.multipleAssignmentDeclaration
                ? d.tupleExpression.expressions.collect { (VariableExpression) it } : [d.variableExpression]
        names.each { VariableExpression v ->
            declarations << new Declared(v.name, Modifier.isFinal(v.modifiers), d.lineNumber, d.columnNumber)
        }
    }

    /**
     * The session's final names once this input has run to its end, each with where it was
     * declared ({@code here} for this input's): its final declarations added, its plain ones lifted.
     */
    Map<String, String> finalsAfter(String here) {
        finalsBefore(Integer.MAX_VALUE, Integer.MAX_VALUE, here)
    }

    /** The final binding names at a place of the input, each with where it was declared. */
    private Map<String, String> finalsBefore(int line, int column, String here) {
        Map<String, String> now = new LinkedHashMap<>(finals)
        for (Declared d : declarations) {
            if (d.line() > line || (d.line() == line && d.column() >= column)) {
                break
            }
            if (d.markedFinal()) {
                now[d.name()] = here
            } else {
                now.remove(d.name())
            }
        }
        now
    }

    /**
     * Rejects an assignment, {@code ++} or {@code --} of a final session variable; runs after the
     * variable scopes are known, so a closure's parameter or a local of the same name is not taken
     * for it.
     */
    private class FinalCheck extends CompilationCustomizer {
        FinalCheck() {
            super(CompilePhase.CANONICALIZATION)
        }

        @Override
        void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
            if (!classNode.script) {
                return
            }
            if (finals.isEmpty() && !declarations.any { it.markedFinal() }) {
                return
            }
            new ClassCodeVisitorSupport() {
                @Override
                protected SourceUnit getSourceUnit() { source }

                @Override
                void visitBinaryExpression(BinaryExpression e) {
                    if (Types.isAssignment(e.operation.type) && !fromDeclarations.contains(e)) {
                        check(e.leftExpression, e)
                    }
                    super.visitBinaryExpression(e)
                }

                @Override
                void visitPostfixExpression(PostfixExpression e) {
                    check(e.expression, e)
                    super.visitPostfixExpression(e)
                }

                @Override
                void visitPrefixExpression(PrefixExpression e) {
                    check(e.expression, e)
                    super.visitPrefixExpression(e)
                }

                private void check(Expression target, ASTNode at) {
                    List<Expression> targets = target instanceof TupleExpression
                            ? ((TupleExpression) target).expressions : [target]
                    targets.each { Expression t ->
                        if (t instanceof VariableExpression && ((VariableExpression) t).accessedVariable instanceof DynamicVariable) {
                            String name = ((VariableExpression) t).name
                            String where = finalsBefore(at.lineNumber, at.columnNumber, 'in this input')[name]
                            if (where != null) {
                                source.addError(new SyntaxException("${name} is final (declared `final ${name}` ${where}):".toString()
                                        + " it cannot be assigned; declare it again (`def ${name} = ...`) to replace it",
                                        t.lineNumber, t.columnNumber, t.lastLineNumber, t.lastColumnNumber))
                            }
                        }
                    }
                }
            }.visitClass(classNode)
        }
    }

    /** The properties a script base class answers itself (binding, metaClass, and GanScript's gan, params). */
    private static Set<String> propertiesOf(Class<?> base) {
        // the base class is named, not yet resolved, at this phase: the script's class loader has it
        Introspector.getBeanInfo(base).propertyDescriptors*.name as Set<String>
    }

    /**
     * `T x = v` as `x = (T) v`, `def x = v` as `x = v`, `int n` as `n = 0` and `T t` as `t = (T) null`
     * (a field's default), `def (a, b) = v` as `(a, b) = v`; null for what stays as written (a tuple
     * with typed names, whose types a multiple assignment would drop, annotated declarations and
     * the reserved names).
     */
    private static Expression bindingAssignment(Expression e, Set<String> reserved) {
        if (!(e instanceof DeclarationExpression)) {
            return null
        }
        DeclarationExpression d = (DeclarationExpression) e
        if (!d.annotations.isEmpty()) {
            return null // @Field and the like mean what they say
        }
        Expression target
        Expression value = d.rightExpression
        if (d.multipleAssignmentDeclaration) {
            List<VariableExpression> declared = d.tupleExpression.expressions.collect { (VariableExpression) it }
            if (declared.any { !it.dynamicTyped || it.name in reserved }) {
                return null
            }
            target = new TupleExpression(declared.collect { (Expression) named(it) })
            target.sourcePosition = d.tupleExpression
        } else {
            VariableExpression declared = d.variableExpression
            if (declared.name in reserved) {
                return null
            }
            if (value instanceof EmptyExpression) {
                Expression none = new ConstantExpression(ClassHelper.isPrimitiveType(declared.originType) ? 0 : null)
                value = declared.dynamicTyped ? none : new CastExpression(declared.originType, none)
            } else if (!declared.dynamicTyped) {
                value = new CastExpression(declared.originType, value)
            }
            if (!value.is(d.rightExpression)) {
                value.sourcePosition = d  // a new node: an unknown type is reported where the declaration starts
            }
            target = named(declared)
        }
        BinaryExpression assignment = new BinaryExpression(target, d.operation, value)
        assignment.sourcePosition = d
        assignment
    }

    /** The binding variable of a declared name, at the name's place. */
    private static VariableExpression named(VariableExpression declared) {
        VariableExpression v = new VariableExpression(declared.name)
        v.sourcePosition = declared
        v
    }
}
