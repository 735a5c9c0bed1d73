package dev.aims.spring.web;

import static dev.aims.spring.web.WebTestApplication.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.web.csrf.DefaultCsrfToken;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Found by the browser test: the application's own security chain rendered its login page (the
 * browser's favicon request was sent there) and stored a new CSRF token in the same session, so
 * the console's sign-in form, already on screen, failed with 403. The console keeps its tokens
 * under its own session attribute.
 */
@SpringBootTest(classes = WebTestApplication.class)
@AutoConfigureMockMvc
class ConsoleCsrfIsolationTest {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  @Autowired MockMvc mvc;

  @Test
  void another_chain_storing_its_own_csrf_token_does_not_break_the_console_sign_in() throws Exception {
    MvcResult page = mvc.perform(get("/aims/login")).andExpect(status().isOk()).andReturn();
    MockHttpSession session = (MockHttpSession) page.getRequest().getSession(true);
    Matcher m = CSRF.matcher(page.getResponse().getContentAsString());
    assertThat(m.find()).isTrue();
    String token = m.group(1);

    // what Spring Security's default repository of another chain does when it renders a form
    session.setAttribute(HttpSessionCsrfTokenRepository.class.getName().concat(".CSRF_TOKEN"),
        new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "another-chains-token"));

    mvc.perform(post("/aims/login").session(session).contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .param("username", "alice").param("password", PASSWORD).param("_csrf", token))
        .andExpect(status().is3xxRedirection())
        .andExpect(header().string("Location", org.hamcrest.Matchers.endsWith("/aims/console")));
  }
}
