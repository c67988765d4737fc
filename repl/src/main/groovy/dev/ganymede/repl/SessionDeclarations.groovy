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

/**
 * Turns each top-level declaration of a REPL input (`def x = ...`, `String mixture = ...`,
 * `double lr = 1`) into an assignment to the session's binding, cast to the declared type, so
 * the variable outlives its input as in groovysh's interpreter mode: a script local would be
 * gone by the next input. Done on the syntax tree, not the text, so a value spanning lines keeps
 * its precedence under the cast and error columns stay those of what the user typed.
 * Declarations inside blocks and closures stay local, as in a script file.
 */
@CompileStatic
class SessionDeclarations extends CompilationCustomizer {

    SessionDeclarations() {
        super(CompilePhase.CONVERSION)
    }

    @Override
    void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        if (!classNode.script) {
            return
        }
        for (Statement statement : source.AST.statementBlock.statements) {
            if (statement instanceof ExpressionStatement) {
                ExpressionStatement s = (ExpressionStatement) statement
                Expression kept = bindingAssignment(s.expression)
                if (kept != null) {
                    s.expression = kept
                }
            }
        }
    }

    /**
     * `T x = v` as `x = (T) v`, `def x = v` as `x = v`, `int n` as `n = 0` (a field's default),
     * `def (a, b) = v` as `(a, b) = v`; null for anything else (a tuple with typed names, whose
     * types a multiple assignment would drop, stays local to its input).
     */
    private static Expression bindingAssignment(Expression e) {
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
            if (declared.any { !it.dynamicTyped }) {
                return null
            }
            List<Expression> names = declared.collect { (Expression) named(it) }
            target = new TupleExpression(names)
            target.sourcePosition = d.tupleExpression
        } else {
            VariableExpression declared = d.variableExpression
            if (value instanceof EmptyExpression) {
                value = ClassHelper.isPrimitiveType(declared.originType)
                        ? new CastExpression(declared.originType, new ConstantExpression(0)) : ConstantExpression.NULL
            } else if (!declared.dynamicTyped) {
                value = new CastExpression(declared.originType, value)
            }
            value.sourcePosition = d  // an unknown type is reported where the declaration starts
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
