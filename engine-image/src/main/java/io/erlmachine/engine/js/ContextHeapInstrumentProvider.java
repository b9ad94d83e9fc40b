package io.erlmachine.engine.js;

import com.oracle.truffle.api.instrumentation.TruffleInstrument;
import com.oracle.truffle.api.instrumentation.provider.TruffleInstrumentProvider;
import java.util.Collection;
import java.util.List;

/**
 * How Truffle finds {@link ContextHeapInstrument}: it loads instrument providers with the
 * ServiceLoader (META-INF/services) and reads the registration from the provider's class.
 * Truffle's annotation processor would generate this class from a registration on the
 * instrument; written out, the build needs no processor.
 */
@TruffleInstrument.Registration(id = ContextHeapInstrument.ID, name = "Erlmachine context heap meter", version = "1",
    services = ContextHeapMeter.class)
public final class ContextHeapInstrumentProvider extends TruffleInstrumentProvider {
  @Override
  protected String getInstrumentClassName() {
    return ContextHeapInstrument.class.getName();
  }

  @Override
  protected Object create() {
    return new ContextHeapInstrument();
  }

  @Override
  protected Collection<String> getServicesClassNames() {
    return List.of(ContextHeapMeter.class.getName());
  }
}
