package dev.aims.examples.loans;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Demo users of the example ({@code loans.demo-users}), held in memory. They exist so the service
 * can be tried without an identity provider; a real deployment replaces {@link SecurityConfiguration}'s
 * user store with its own (LDAP, OAuth2/OIDC) and keeps the role names.
 */
@ConfigurationProperties("loans")
public class DemoUsers {
  private List<User> demoUsers = new ArrayList<>();

  public List<User> getDemoUsers() {
    return demoUsers;
  }

  public void setDemoUsers(List<User> demoUsers) {
    this.demoUsers = demoUsers;
  }

  /** One demo user: name, clear-text password (from configuration) and roles without {@code ROLE_}. */
  public static class User {
    private String name = "";
    private String password = "";
    private List<String> roles = new ArrayList<>();

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public List<String> getRoles() {
      return roles;
    }

    public void setRoles(List<String> roles) {
      this.roles = roles;
    }
  }
}
