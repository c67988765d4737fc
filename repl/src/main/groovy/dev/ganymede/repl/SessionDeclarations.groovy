package dev.ganymede.repl

import groovy.transform.CompileStatic
import org.codehaus.groovy.ast.ClassHelper
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.CastExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.EmptyExpression
import org.codehaus.groovy.ast.expr.Expression
import org.codehaus.groovy.ast.expr.TupleExpression
import org.codehaus.groovy.ast.expr.VariableExpression
import org.codehaus.groovy.ast.stmt.ExpressionStatement
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.classgen.GeneratorContext
import org.codehaus.groovy.control.CompilePhase
import org.codehaus.groovy.control.SourceUnit
import org.codehaus.groovy.control.customizers.CompilationCustomizer

import java.beans.Introspector

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
 */
@CompileStatic
class SessionDeclarations extends CompilationCustomizer {

    private final Set<String> reserved

    /** {@code sessionNames}: the binding variables the REPL keeps for itself. */
    SessionDeclarations(Collection<String> sessionNames) {
        super(CompilePhase.CONVERSION)
        this.reserved = new HashSet<>(sessionNames)
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
                    s.expression = assignment
                }
            }
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
