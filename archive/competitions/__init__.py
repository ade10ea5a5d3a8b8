"""Innovation competitions (BAILANG, KIPP-style entries): stages, judges, blind scoring, ranking.

- ``templates``: the KIPP and IGA templates (sections, stages, criteria, weights, with sources);
- ``setup``: staff create competitions, edit stages and criteria, set panels, open and close
  stages, announce winners;
- ``entries``: units enter innovations and write the proposal sections;
- ``judging``: a judge's assignments, the blind view, scores and conflicts of interest;
- ``ranking``: the pure scoring core (weighted scores, mean, spread, rank, ties);
- ``results``: a stage's results from the database, who may read them, the winners;
- ``recap``: the XLSX and PDF recap.
"""
