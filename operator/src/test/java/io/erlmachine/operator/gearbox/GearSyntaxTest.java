package io.erlmachine.operator.gearbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class GearSyntaxTest {
  private static final GearSyntax SYNTAX = new GearSyntax();

  @AfterAll
  static void close() {
    SYNTAX.close();
  }

  @Test
  void aValidModuleWithImportsAndModernSyntaxHasNoProblem() {
    String code = """
        import { limit } from 'rules';
        export async function receive(message, gear) {
          const { body: { amount = 0 } = {} } = message;
          return amount > limit ? null : { ...message.body, checked: true };
        }
        """;
    assertThat(SYNTAX.problem("check.mjs", code)).isEmpty();
  }

  @Test
  void aSyntaxErrorNamesTheFileLineColumnAndMessage() {
    String code = "export function receive(message) {\n  return message.body +;\n}\n";
    assertThat(SYNTAX.problem("price.mjs", code)).hasValueSatisfying(problem -> {
      assertThat(problem).startsWith("price.mjs:2:");
      assertThat(problem).contains("SyntaxError").contains("Expected an operand but found ;");
      assertThat(problem).doesNotContain("gear.mjs");
    });
  }

  @Test
  void theVerdictForTheSameCodeIsReportedUnderEachFilesName() {
    String code = "export function receive( {";
    assertThat(SYNTAX.problem("a.mjs", code)).hasValueSatisfying(p -> assertThat(p).startsWith("a.mjs:1:"));
    assertThat(SYNTAX.problem("b.mjs", code)).hasValueSatisfying(p -> assertThat(p).startsWith("b.mjs:1:"));
  }

  @Test
  void codeIsParsedButNeverRun() {
    assertThat(SYNTAX.problem("loop.mjs", "while (true) {}\nexport const x = 1;")).isEmpty();
  }

  @Test
  void codeNestedTooDeeplyForTheParserIsAProblemNotACrash() {
    String code = "export const x = " + "[".repeat(200_000) + "]".repeat(200_000) + ";";
    assertThat(SYNTAX.problem("deep.mjs", code)).hasValueSatisfying(p -> assertThat(p).startsWith("deep.mjs: cannot be parsed, nested too deeply"));
  }
}
