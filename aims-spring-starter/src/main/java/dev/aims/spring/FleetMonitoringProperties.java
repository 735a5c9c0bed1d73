package dev.aims.spring;

import dev.aims.core.monitor.FleetConfig;
import dev.aims.logging.PostgresFleetStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Fleet-wide monitoring of one system ({@code aims.systems.<id>.monitoring.fleet}): pending labels
 * and window summaries shared with the other instances through the application's PostgreSQL
 * DataSource (docs/monitoring.md, "Fleet").
 */
public class FleetMonitoringProperties {
  /** Share pending labels and window summaries with the other instances (needs a DataSource). */
  private boolean enabled;
  /** This instance's name in the fleet, unique per instance (default: the host name). */
  private @Nullable String instance;
  /** Instances whose summaries are older are left out of the fleet figures; must exceed the evaluation interval. */
  private Duration staleAfter = FleetConfig.DEFAULT_STALE_AFTER;
  /**
   * Which figure drives the drift alarms, their events and drift review: {@code instance} (this
   * instance's window) or {@code fleet} (the fleet figure where the feature has one; while it is
   * stale, the last fleet alarm or this instance's own keeps the alarm on).
   */
  private FleetConfig.AlarmScope alarms = FleetConfig.AlarmScope.INSTANCE;
  /** Prefix of the tables {@code <prefix>_pending} and {@code <prefix>_summary}. */
  private String tablePrefix = PostgresFleetStore.DEFAULT_PREFIX;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getInstance() {
    return instance;
  }

  public void setInstance(@Nullable String instance) {
    this.instance = instance;
  }

  public Duration getStaleAfter() {
    return staleAfter;
  }

  public void setStaleAfter(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  public FleetConfig.AlarmScope getAlarms() {
    return alarms;
  }

  public void setAlarms(FleetConfig.AlarmScope alarms) {
    this.alarms = alarms;
  }

  public String getTablePrefix() {
    return tablePrefix;
  }

  public void setTablePrefix(String tablePrefix) {
    this.tablePrefix = tablePrefix;
  }
}
