package io.erlmachine.engine.http;

import static io.erlmachine.engine.http.Api.accepted;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile gear code: each case must be contained within 2 seconds (the message dead-lettered,
 * the gear restarted) while the orders gearbox keeps serving.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
class AbuseTest {
  private static final Duration CONTAINED_WITHIN = Duration.ofSeconds(2);
  private final AtomicBoolean serving = new AtomicBoolean(true);
  private final AtomicLong healthyFailures = new AtomicLong();
  private Thread healthyTraffic;

  @BeforeEach
  void keepHealthyTrafficFlowing() {
    healthyTraffic = Thread.ofPlatform().daemon().start(() -> {
      while (serving.get()) {
        int status = Api.send("orders", "in", "{\"id\": 1, \"qty\": 2}").statusCode();
        if (status != 202) {
          healthyFailures.incrementAndGet();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  @AfterEach
  void healthyTrafficWasNeverRefused() throws InterruptedException {
    long before = Api.processed("orders", "sink");
    Thread.sleep(300);
    serving.set(false);
    healthyTraffic.join();
    assertThat(healthyFailures.get()).as("healthy messages refused during the abuse").isZero();
    assertThat(Api.processed("orders", "sink")).as("the orders gearbox kept processing").isGreaterThan(before);
    given().get("/api/v1/gearboxes/orders").then().body("phase", equalTo("RUNNING"));
  }

  @Test
  void anEndlessLoopIsStoppedByTheStatementLimitOrTheMessageTimeout() {
    assertContained("spin", "{}", "statement count limit", "message timeout");
  }

  @Test
  void deepRecursionIsStopped() {
    assertContained("recurse", "{}", "stack");
  }

  @Test
  void allocatingWithoutBoundIsStoppedBeforeTheEngineRunsOutOfMemory() {
    assertContained("hog", "{}");
  }

  @Test
  void catastrophicBacktrackingIsStoppedByTheWatchdog() {
    assertContained("backtrack", "{}");
  }

  @Test
  void aFloodOfLogOutputIsRateLimitedAndBounded() {
    long sunk = Api.processed("abuse", "sink");
    String tracking = accepted("abuse", "chatty", "{}");
    await().atMost(CONTAINED_WITHIN).until(() -> Api.processed("abuse", "sink") == sunk + 1 || Api.deadLetterReason(tracking) != null);
  }

  @Test
  void hostAccessIsNotThere() {
    for (String attempt : new String[] {"java", "polyglot", "require", "load", "process", "quit"}) {
      assertContained("escape", "{\"try\": \"" + attempt + "\"}", "is not defined");
    }
    long sunk = Api.processed("abuse", "sink");
    accepted("abuse", "escape", "{\"try\": \"nothing\"}");
    await().atMost(CONTAINED_WITHIN).until(() -> Api.processed("abuse", "sink") == sunk + 1);
  }

  @Test
  void aFiftyMegabyteMessageIsRefusedBeforeItIsRead() {
    byte[] huge = new byte[50 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '{';
    huge[huge.length - 1] = '}';
    given().contentType(ContentType.JSON).body(huge).post("/api/v1/gearboxes/abuse/gears/escape/messages")
        .then().statusCode(413).body("error", equalTo("MessageTooLarge"));
  }

  /** The message is dead-lettered in time for one of the reasons (any reason when none is given) and the gear runs again. */
  private static void assertContained(String gear, String body, String... anyOfReasons) {
    String tracking = accepted("abuse", gear, body);
    long started = System.nanoTime();
    await().atMost(CONTAINED_WITHIN).pollInterval(Duration.ofMillis(20)).until(() -> Api.deadLetterReason(tracking) != null);
    String reason = Api.deadLetterReason(tracking).toLowerCase(java.util.Locale.ROOT);
    assertThat(anyOfReasons.length == 0 || java.util.Arrays.stream(anyOfReasons).anyMatch(r -> reason.contains(r.toLowerCase(java.util.Locale.ROOT))))
        .as(gear + " dead-lettered for: " + reason).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as(gear + " " + body).isLessThan(CONTAINED_WITHIN);
    given().get("/api/v1/gearboxes/abuse/gears/{g}", gear).then().body("status", equalTo("RUNNING"));
  }
}
