"""The station agent: Hamlib clients, one pass driven through them, and the loop that runs a server's plan.

* :mod:`.hamlib`: ``rotctld``/``rigctld`` clients (extended responses, refusals, garbage, reconnects);
* :mod:`.runner`: one pass (pre-position, follow with threshold and cycle, Doppler, events, park);
* :mod:`.target`: what is tracked (catalog element set or bundled spacecraft) and its passes;
* :mod:`.spool` and :mod:`.service`: the agent of ``groundnet agent`` (plan from the server, events
  back through a spool file that survives restarts).
"""
