package dev.ganymede.repl

import groovy.transform.CompileStatic
import org.codehaus.groovy.ast.ClassNode
import org.codehaus.groovy.ast.expr.BinaryExpression
import org.codehaus.groovy.ast.expr.CastExpression
import org.codehaus.groovy.ast.expr.DeclarationExpression
import org.codehaus.groovy.ast.expr.EmptyExpression
import org.codehaus.groovy.ast.expr.Expression
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

    /** `T x = v` as `x = (T) v`, `def x = v` as `x = v`; null for anything else. */
    private static Expression bindingAssignment(Expression e) {
        if (!(e instanceof DeclarationExpression)) {
            return null
        }
        DeclarationExpression d = (DeclarationExpression) e
        // `def (a, b) = ...`, `int n` without a value and annotated (@Field) declarations stay as written
        if (d.multipleAssignmentDeclaration || d.rightExpression instanceof EmptyExpression || !d.annotations.isEmpty()) {
            return null
        }
        VariableExpression declared = d.variableExpression
        Expression value = d.rightExpression
        if (!declared.dynamicTyped) {
            value = new CastExpression(declared.originType, value)
            value.sourcePosition = d.rightExpression
        }
        VariableExpression target = new VariableExpression(declared.name)
        target.sourcePosition = declared
        BinaryExpression assignment = new BinaryExpression(target, d.operation, value)
        assignment.sourcePosition = d
        assignment
    }
}
