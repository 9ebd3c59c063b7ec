<?php
$a = [
  "open => 1,
];
