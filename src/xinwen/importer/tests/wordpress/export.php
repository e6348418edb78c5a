<?php
// The WXR file of Tools › Export › All content, written by WordPress's own export_wp().
require __DIR__ . '/boot.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
export_wp(array('content' => 'all'));
