package dev.aims.examples.loans;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /loans/decisions}: one loan application in, the governed decision out. */
@RestController
public class LoanController {
  private final LoanDecisionService decisions;

  public LoanController(LoanDecisionService decisions) {
    this.decisions = decisions;
  }

  /** Decides the application; a large loan blocks until a reviewer approves or rejects it. */
  @PostMapping("/loans/decisions")
  public LoanDecision decide(@RequestBody LoanApplication application) {
    return decisions.decide(application);
  }
}
